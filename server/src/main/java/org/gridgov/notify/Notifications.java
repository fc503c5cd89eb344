package org.gridgov.notify;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Notifications put together: the stores, the configured channels, the delivery worker and the
 * routes (app/Gridgov starts it; the bench's fault tests start the same).
 */
public final class Notifications implements AutoCloseable {

    private final OutboxStore outbox;
    private final WebhookStore hooks;
    private final OutboxWorker worker;
    private final NotifyRoutes routes;

    private Notifications(
            OutboxStore outbox, WebhookStore hooks, OutboxWorker worker, NotifyRoutes routes) {
        this.outbox = outbox;
        this.hooks = hooks;
        this.worker = worker;
        this.routes = routes;
    }

    /**
     * @param instance this server's name in claimed rows (host:port/pid/random, app/Gridgov)
     */
    public static Notifications start(
            NotifySettings s, DataSource ds, TicketCodes codes, Clock clock, String instance) {
        OutboxStore outbox = new OutboxStore(ds);
        WebhookStore hooks = new WebhookStore(ds);
        Templates templates = new Templates(s.smsSign(), s.links());
        Map<Channel, Sender> senders = new EnumMap<>(Channel.class);
        senders.put(Channel.WEBHOOK, new WebhookChannel(hooks, s.timeout(), clock));
        if (s.sms() != null)
            senders.put(Channel.SMS, new SmsChannel(s.sms(), outbox, codes, templates));
        if (s.email() != null)
            senders.put(Channel.EMAIL, new EmailChannel(s.email(), outbox, codes, templates));
        if (s.hotline() != null)
            senders.put(Channel.HOTLINE, new HotlineChannel(s.hotline(), clock));
        OutboxWorker worker = null;
        if (s.worker()) {
            worker = new OutboxWorker(outbox, senders, s.delivery(), clock, instance);
            worker.start();
        }
        return new Notifications(outbox, hooks, worker, new NotifyRoutes(outbox, hooks, codes));
    }

    public NotifyRoutes routes() {
        return routes;
    }

    public OutboxStore outbox() {
        return outbox;
    }

    public WebhookStore webhooks() {
        return hooks;
    }

    @Override
    public void close() {
        if (worker != null) worker.close();
    }
}
