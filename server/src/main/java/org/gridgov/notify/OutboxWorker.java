package org.gridgov.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: claims due rows (a lease, SKIP LOCKED, so several servers share the work),
 * sends each through its channel and records the outcome. A row is marked sent only after its
 * receiver accepted it; a crash between the two sends it again when the lease ends, with the same
 * message id, which the receiver drops as a duplicate: at-least-once delivery plus the receiver's
 * de-duplication by id is exactly once as the receiver sees it (docs/notifications.md).
 */
public final class OutboxWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

    /**
     * @param threads messages sent at once (and claimed at a time)
     * @param lease how long a claimed row is this worker's; longer than any channel's timeout
     * @param poll the pause when nothing was due
     */
    public record Settings(int threads, Duration lease, Duration poll, Backoff backoff) {}

    private final OutboxStore store;
    private final Map<Channel, Sender> senders;
    private final Settings settings;
    private final Clock clock;
    private final String name;
    private final ExecutorService pool;
    private final AtomicLong sent = new AtomicLong(), failed = new AtomicLong();
    private volatile Thread loop;
    private volatile boolean running;

    /**
     * @param senders the configured channels; rows of the others wait (counted in the outbox view)
     */
    public OutboxWorker(
            OutboxStore store,
            Map<Channel, Sender> senders,
            Settings settings,
            Clock clock,
            String name) {
        this.store = store;
        this.senders = new EnumMap<>(Channel.class);
        this.senders.putAll(senders);
        this.settings = settings;
        this.clock = clock;
        this.name = name;
        this.pool =
                Executors.newFixedThreadPool(
                        settings.threads(),
                        r -> {
                            Thread t = new Thread(r, "outbox-send");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts the loop on a thread of its own. */
    public void start() {
        running = true;
        Thread t = new Thread(this::run, "outbox-worker");
        t.setDaemon(true);
        loop = t;
        t.start();
        log.info("outbox worker {} delivering {}", name, senders.keySet());
    }

    private void run() {
        while (running) {
            try {
                if (runOnce() == 0) Thread.sleep(settings.poll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("outbox round failed: {}", e.toString());
                try {
                    Thread.sleep(settings.poll().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * One round: claim up to {@code threads} due rows, send them side by side, record each.
     *
     * @return rows claimed
     */
    public int runOnce() throws Exception {
        List<Message> batch =
                store.claim(name, senders.keySet(), settings.threads(), settings.lease());
        List<Future<?>> running = new ArrayList<>();
        for (Message m : batch) running.add(pool.submit(() -> deliver(m)));
        for (Future<?> f : running) f.get();
        return batch.size();
    }

    private Void deliver(Message m) throws Exception {
        Delivery d;
        try {
            d = senders.get(m.channel()).send(m);
        } catch (RuntimeException e) { // a bug in a channel must not stop the others
            log.warn("outbox message {} ({}): {}", m.id(), m.channel(), e.toString());
            d = new Delivery.Retry("internal error: " + e);
        }
        if (d instanceof Delivery.Accepted) {
            store.markSent(m.id());
            sent.incrementAndGet();
        } else if (d instanceof Delivery.Retry r) {
            failed.incrementAndGet();
            if (settings.backoff().exhausted(m.attempts()))
                store.markDead(m, "gave up after " + m.attempts() + " attempts: " + r.reason());
            else
                store.retryAt(
                        m,
                        clock.instant().plus(settings.backoff().delay(m.attempts())),
                        r.reason());
        } else if (d instanceof Delivery.Failed f) {
            failed.incrementAndGet();
            store.markDead(m, f.reason());
        }
        return null;
    }

    /** Messages accepted by their receivers, through this worker. */
    public long sent() {
        return sent.get();
    }

    /** Attempts that failed, through this worker. */
    public long failedAttempts() {
        return failed.get();
    }

    @Override
    public void close() {
        running = false;
        Thread t = loop;
        if (t != null) t.interrupt();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
