package org.gridgov.notify;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Feedback to the 12345 platform: the row's payload, as the writer of the row (the work orders)
 * composed it in the hotline's fields, POSTed to GRIDGOV_HOTLINE_FEEDBACK_URL and signed like a
 * webhook with GRIDGOV_HOTLINE_SECRET.
 */
public final class HotlineChannel implements Sender {

    public record Settings(URI url, String secret, Duration timeout) {}

    private final Settings settings;
    private final HttpDelivery http;
    private final Clock clock;

    public HotlineChannel(Settings settings, Clock clock) {
        this.settings = settings;
        this.http = new HttpDelivery(settings.timeout());
        this.clock = clock;
    }

    @Override
    public Delivery send(Message m) {
        if (m.payload() == null) return new Delivery.Failed("a HOTLINE row needs a payload");
        return WebhookChannel.signedPost(
                http, settings.url(), m, m.payload(), settings.secret(), clock);
    }
}
