package org.gridgov.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gridgov.live.Change;
import org.gridgov.live.EventRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RECHECK task follows the closing of an incident a failed check made (docs/tasks.md). A listener
 * on the event relay, not a trigger: the recheck is assigned as every task is, by the on-duty rule
 * over the rosters held in memory (roster/DutyRule), which SQL cannot reach. The relay passes on
 * committed events only; on a CLOSE the store's sweep makes the missing rechecks, off the relay's
 * thread. The sweep also runs at start, so a close while no server ran is not lost.
 */
public final class Rechecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Rechecks.class);

    /** How long a recheck may take. */
    static final Duration WITHIN = Duration.ofDays(7);

    private final TaskStore store;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "gridgov-rechecks");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicBoolean queued = new AtomicBoolean();

    public Rechecks(TaskStore store) {
        this.store = store;
    }

    public Rechecks start(EventRelay relay) {
        relay.listen(this::apply);
        sweep();
        return this;
    }

    private void apply(List<Change> changes) {
        for (Change ch : changes)
            if ("CLOSED".equals(ch.toStatus())) {
                sweep();
                return;
            }
    }

    /** Queues one sweep (one at a time; a close during a sweep queues the next). */
    void sweep() {
        if (!queued.compareAndSet(false, true)) return;
        worker.execute(
                () -> {
                    queued.set(false);
                    try {
                        int n = store.makeRechecks(WITHIN);
                        if (n > 0) log.info("{} recheck task(s) made", n);
                    } catch (Exception e) {
                        log.warn("rechecks: {}", e.getMessage());
                    }
                });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
