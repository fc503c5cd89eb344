package org.gridgov.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.gridgov.api.Responses;

/**
 * Texts a reporter through the SMS gateway: {@code POST {url}} with {@code {"messageId", "to",
 * "text"}} (docs/notifications.md has the contract). The phone is read when sent, from the
 * incident, so a phone erased by the retention rule is never texted.
 */
public final class SmsChannel implements Sender {

    /**
     * @param token sent as {@code Authorization: Bearer …} when not null
     */
    public record Settings(URI url, String token, java.time.Duration timeout) {}

    private final Settings settings;
    private final OutboxStore store;
    private final TicketCodes codes;
    private final Templates templates;
    private final HttpDelivery http;

    public SmsChannel(
            Settings settings, OutboxStore store, TicketCodes codes, Templates templates) {
        this.settings = settings;
        this.store = store;
        this.codes = codes;
        this.templates = templates;
        this.http = new HttpDelivery(settings.timeout());
    }

    @Override
    public Delivery send(Message m) {
        if (m.incidentId() == null) return new Delivery.Failed("an SMS row names no incident");
        Optional<OutboxStore.Reporter> r;
        try {
            r = store.reporter(m.incidentId());
        } catch (SQLException e) {
            return new Delivery.Retry("reading the reporter: " + e.getMessage());
        }
        if (r.isEmpty() || r.get().phone() == null)
            return new Delivery.Failed("the reporter has no phone (erased or never given)");
        Templates.Text text;
        try {
            text =
                    templates.sms(
                            ReporterNotice.of(m.kind()), m.incidentId(), codes.of(m.incidentId()));
        } catch (IllegalArgumentException e) {
            return new Delivery.Failed(e.getMessage());
        }
        ObjectNode body = Responses.JSON.createObjectNode();
        body.put("messageId", m.messageId().toString());
        body.put("to", r.get().phone());
        body.put("text", text.body());
        body.put("ticket", m.incidentId());
        body.put("kind", m.kind());
        Map<String, String> headers = new HashMap<>();
        if (settings.token() != null) headers.put("Authorization", "Bearer " + settings.token());
        return http.post(settings.url(), m, body.toString(), headers);
    }
}
