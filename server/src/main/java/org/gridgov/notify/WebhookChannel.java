package org.gridgov.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.gridgov.api.Responses;

/**
 * Sends case events to subscribed systems: {@code {"messageId", "kind", "data"}}, signed with the
 * subscription's secret ({@link Signature}).
 */
public final class WebhookChannel implements Sender {

    private final WebhookStore hooks;
    private final HttpDelivery http;
    private final Clock clock;

    public WebhookChannel(WebhookStore hooks, Duration timeout, Clock clock) {
        this.hooks = hooks;
        this.http = new HttpDelivery(timeout);
        this.clock = clock;
    }

    @Override
    public Delivery send(Message m) {
        Optional<WebhookStore.Hook> h;
        try {
            h = m.webhookId() == null ? Optional.empty() : hooks.find(m.webhookId());
        } catch (SQLException e) {
            return new Delivery.Retry("reading the webhook: " + e.getMessage());
        }
        if (h.isEmpty() || h.get().deleted())
            return new Delivery.Failed("the webhook subscription was deleted");
        ObjectNode body = Responses.JSON.createObjectNode();
        body.put("messageId", m.messageId().toString());
        body.put("kind", m.kind());
        try {
            body.set("data", m.payload() == null ? null : Responses.JSON.readTree(m.payload()));
        } catch (IOException e) {
            return new Delivery.Failed("the row's payload is not JSON");
        }
        return signedPost(
                http, URI.create(h.get().url()), m, body.toString(), h.get().secret(), clock);
    }

    static Delivery signedPost(
            HttpDelivery http, URI url, Message m, String body, String secret, Clock clock) {
        long t = clock.instant().getEpochSecond();
        return http.post(
                url,
                m,
                body,
                Map.of(
                        Signature.TIMESTAMP,
                        Long.toString(t),
                        Signature.HEADER,
                        Signature.sign(secret, t, body)));
    }
}
