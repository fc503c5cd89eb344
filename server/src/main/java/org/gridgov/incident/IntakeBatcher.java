package org.gridgov.incident;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for intake (docs/intake.md): reports that reach the insert step wait in a queue; a
 * writer takes every report waiting (up to a maximum), writes them in one statement and one commit,
 * and only then completes each report's future — a 201 still means committed. A writer never waits
 * for more reports: one that finds a single report writes it at once, so a quiet server adds no
 * latency; under load the reports that arrive during one commit form the next batch. A report that
 * could fail the statement for the others (a constraint) makes the batch fall back to one
 * transaction per report, so each gets the answer it would have got alone.
 */
public final class IntakeBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeBatcher.class);

    /** Counters for tests and the bench. */
    public record Stats(
            long batches, long reports, long multiReportBatches, long largest, long fallbacks) {}

    private record Job(
            IncidentStore.Pending pending, CompletableFuture<IncidentStore.Intake> done) {}

    private final IncidentStore store;
    private final int maxBatch;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;
    private final Object takeLock = new Object();
    private boolean held; // guarded by takeLock
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong multi = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();

    /**
     * @param maxBatch the most reports in one transaction
     * @param writers how many batches may be written at once (one commits while the next fills)
     */
    public IntakeBatcher(IncidentStore store, int maxBatch, int writers) {
        if (maxBatch < 1 || writers < 1)
            throw new IllegalArgumentException("an intake batch and its writers are at least 1");
        this.store = store;
        this.maxBatch = maxBatch;
        for (int k = 0; k < writers; k++) {
            Thread t = new Thread(this::run, "intake-writer-" + k);
            t.setDaemon(true);
            this.writers.add(t);
            t.start();
        }
    }

    /** Queues the report; the future completes once it is committed (or refused, or failed). */
    public CompletableFuture<IncidentStore.Intake> submit(IncidentStore.Pending pending) {
        CompletableFuture<IncidentStore.Intake> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new SQLException("intake is shutting down", "57P01"));
            return done;
        }
        queue.add(new Job(pending, done));
        return done;
    }

    public Stats stats() {
        return new Stats(batches.get(), reports.get(), multi.get(), largest.get(), fallbacks.get());
    }

    /**
     * Tests: the writers take nothing until the returned hold is closed, so that reports queue up
     * and are then written as one batch.
     */
    public AutoCloseable hold() {
        synchronized (takeLock) {
            held = true;
        }
        return () -> {
            synchronized (takeLock) {
                held = false;
                takeLock.notifyAll();
            }
        };
    }

    /** How many reports wait for a writer. */
    public int waiting() {
        return queue.size();
    }

    // One writer at a time takes what is waiting (all of it, up to the maximum); the others write
    // what they took meanwhile.
    private boolean take(List<Job> taken) throws InterruptedException {
        synchronized (takeLock) {
            while (held && !closed) takeLock.wait(100);
            Job first = queue.poll(500, TimeUnit.MILLISECONDS);
            if (first == null) return false;
            taken.add(first);
            queue.drainTo(taken, maxBatch - 1);
            return true;
        }
    }

    private void run() {
        List<Job> taken = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                if (take(taken)) write(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // never leave a request without an answer
                for (Job j : taken) j.done.completeExceptionally(e);
                LOG.error("intake writer failed", e);
            } finally {
                taken.clear();
            }
        }
        for (Job j; (j = queue.poll()) != null; )
            j.done.completeExceptionally(new SQLException("intake is shutting down", "57P01"));
    }

    /**
     * Writes in rounds whose idempotency keys all differ: a key sent twice waits for the next
     * round, where it meets the first one committed — a replay, as it would have been alone.
     */
    private void write(List<Job> taken) {
        List<Job> rest = taken;
        while (!rest.isEmpty()) {
            List<Job> round = new ArrayList<>(rest.size());
            List<Job> later = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            for (Job j : rest) {
                String key = j.pending.idempotencyKey();
                if (key == null || keys.add(key)) round.add(j);
                else later.add(j);
            }
            writeRound(round);
            rest = later;
        }
    }

    private void writeRound(List<Job> round) {
        batches.incrementAndGet();
        reports.addAndGet(round.size());
        if (round.size() > 1) multi.incrementAndGet();
        largest.accumulateAndGet(round.size(), Math::max);
        List<IncidentStore.Pending> rows = new ArrayList<>(round.size());
        for (Job j : round) rows.add(j.pending);
        List<IncidentStore.Outcome> outcomes;
        try {
            outcomes = round.size() == 1 ? null : store.insertBatch(rows);
        } catch (SQLException | RuntimeException e) {
            // not reached, or the commit failed: nobody of the batch is acknowledged
            for (Job j : round) j.done.completeExceptionally(e);
            return;
        }
        if (outcomes == null) {
            // one report alone, or a statement that failed for one of them: each its own commit
            if (round.size() > 1) fallbacks.incrementAndGet();
            for (Job j : round) alone(j);
            return;
        }
        for (int k = 0; k < round.size(); k++) {
            IncidentStore.Outcome o = outcomes.get(k);
            if (o.refused() != null) round.get(k).done.completeExceptionally(o.refused());
            else round.get(k).done.complete(o.intake());
        }
    }

    private void alone(Job j) {
        IncidentStore.Pending p = j.pending;
        try {
            j.done.complete(
                    store.insert(
                            p.report(),
                            p.routing(),
                            p.first(),
                            p.idempotencyKey(),
                            p.requestHash(),
                            p.by()));
        } catch (SQLException | RuntimeException e) {
            j.done.completeExceptionally(e);
        }
    }

    /** Stops taking reports; those still queued are failed (a 503: the client sends again). */
    @Override
    public void close() {
        closed = true;
        for (Thread t : writers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // a report queued while the writers stopped
        for (Job j; (j = queue.poll()) != null; )
            j.done.completeExceptionally(new SQLException("intake is shutting down", "57P01"));
        Stats s = stats();
        // the bench reads this line (scripts/bench.d/intake.sh)
        LOG.info(
                "intake group commit: {} reports in {} transactions, {} of them with more than"
                        + " one report, largest {}, {} fell back to one by one",
                s.reports(),
                s.batches(),
                s.multiReportBatches(),
                s.largest(),
                s.fallbacks());
    }
}
