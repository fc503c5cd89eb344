package org.gridgov.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long tasks (rebalancing, imports) run on a Vert.x worker thread and report through the job table,
 * so any instance can answer GET /api/v1/jobs/{id}. Cancelling marks the row; the task sees it at
 * its next progress report and stops. A task that writes data does so through {@link
 * Context#complete}: the write and the job's DONE are one transaction that first locks the job row,
 * so a job is either CANCELLED with nothing written or DONE with its result, never CANCELLED with
 * its data committed (docs/planning.md, "Jobs").
 *
 * <p>Several instances share the table (docs/cluster.md): each job row names the instance running
 * it ({@code owner}) and holds a lease that instance renews every {@link #RENEW_EVERY}; a job whose
 * lease ran out lost its instance and is marked FAILED by any other, never one a live instance is
 * running.
 */
public final class Jobs {

    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    /** What a task gets: progress reports, which also tell it whether it was cancelled. */
    public interface Context {
        /** Records progress (0..1); false when the job was cancelled and the task should stop. */
        boolean progress(double fraction);

        boolean cancelled();

        /** The job's id (an import stages its features under it). */
        UUID id();

        /**
         * Runs the task's writes and marks the job DONE with their result in one transaction that
         * first locks the job row (SELECT ... FOR UPDATE). A job cancelled before the lock makes
         * this throw {@link Cancelled} with everything rolled back; a cancel that comes once the
         * row is locked waits for the commit and then finds the job finished (409).
         */
        JsonNode complete(Jdbc.Work<JsonNode> writes) throws SQLException;
    }

    /**
     * Points in a job's end: just before its completing transaction locks the job row, just before
     * that transaction commits, and once the task has ended and its outcome is recorded.
     */
    public enum Stage {
        BEFORE_LOCK,
        BEFORE_COMMIT,
        ENDED
    }

    /**
     * Called at each {@link Stage}. The server never sets one; tests do, to hold a job there and
     * race a cancel or a commit against it deterministically.
     */
    @FunctionalInterface
    public interface CompletionHook {
        void at(Stage stage, UUID job, JsonNode params) throws InterruptedException;
    }

    @FunctionalInterface
    public interface Task {
        /** Does the work and returns the job's result document. */
        JsonNode run(Context ctx) throws Exception;
    }

    /** Thrown by a task that noticed it was cancelled. */
    public static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Cancelled() {
            super("cancelled");
        }
    }

    /**
     * How long a job's claim lasts without renewal: six renewals may fail (a database failover
     * takes seconds, docs/cluster.md) before another instance takes the job for dead.
     */
    public static final Duration LEASE = Duration.ofSeconds(60);

    /** How often an instance renews the leases of the jobs it runs (and sweeps the dead ones). */
    public static final Duration RENEW_EVERY = Duration.ofSeconds(10);

    private final DataSource ds;
    private final Vertx vertx;
    private final String instance;

    /** One thread of its own: renewals must not wait behind the long tasks on the worker pool. */
    private final WorkerExecutor leases;

    /** The jobs running in this instance, each with whether a cancel reached it here. */
    private final Map<UUID, Boolean> running = new ConcurrentHashMap<>();

    private volatile CompletionHook hook = (stage, job, params) -> {};

    /**
     * @param instance this server's name, unique among the instances sharing the database: the
     *     owner of the jobs it runs
     */
    public Jobs(DataSource ds, Vertx vertx, String instance) {
        this.ds = ds;
        this.vertx = vertx;
        this.instance = instance;
        this.leases = vertx.createSharedWorkerExecutor("job-leases", 1);
        vertx.setPeriodic(
                RENEW_EVERY.toMillis(),
                t ->
                        leases.executeBlocking(this::renewLeases, false)
                                .onFailure(
                                        e ->
                                                log.warn(
                                                        "job leases: cannot renew: {}",
                                                        e.getMessage())));
    }

    /**
     * At an instance's start: the RUNNING jobs that will never finish are marked FAILED, saying
     * why: those whose lease ran out (their instance stopped or lost the database for longer than
     * {@link #LEASE}), those this instance's name left, and those of a version before leases (no
     * owner). A job another live instance is running keeps its lease and is left alone.
     *
     * @return how many were failed
     */
    public static int failOrphans(DataSource ds, String instance) throws SQLException {
        return failDead(ds, instance);
    }

    private static final String FAIL_DEAD =
            """
            UPDATE job SET status = 'FAILED', updated_at = now(), error = CASE
                WHEN owner IS NULL THEN 'the server stopped while the job ran'
                WHEN owner = ? THEN 'the instance ' || owner || ' restarted while the job ran'
                ELSE 'the instance ' || owner || ' running the job stopped: its lease ran out at '
                     || to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END
            WHERE status = 'RUNNING' AND (owner IS NULL OR owner = ? OR lease_until < now())""";

    /** Fails the jobs whose lease ran out, and those owned by {@code leftoversOf} when not null. */
    private static int failDead(DataSource ds, String leftoversOf) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(FAIL_DEAD)) {
            ps.setString(1, leftoversOf);
            ps.setString(2, leftoversOf);
            int n = ps.executeUpdate();
            if (n > 0) log.warn("{} job(s) lost their instance and are marked FAILED", n);
            return n;
        }
    }

    /**
     * Renews the leases of the jobs this instance runs, then fails the jobs of other instances
     * whose lease ran out (an instance that died is noticed without waiting for a restart). Called
     * every {@link #RENEW_EVERY}; public for tests, which call it instead of waiting.
     *
     * @return how many leases were renewed
     */
    public int renewLeases() throws SQLException {
        int renewed = 0;
        if (!running.isEmpty()) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE job SET lease_until = now() + ? * interval '1 second'"
                                            + " WHERE owner = ? AND status = 'RUNNING'")) {
                ps.setLong(1, LEASE.toSeconds());
                ps.setString(2, instance);
                renewed = ps.executeUpdate();
            }
        }
        failDead(ds, null);
        return renewed;
    }

    /** This instance's name, the owner of the jobs it starts. */
    public String instance() {
        return instance;
    }

    /** Installs a hook (tests only; see {@link CompletionHook}); null removes it. */
    public void completionHook(CompletionHook h) {
        hook = h != null ? h : (stage, job, params) -> {};
    }

    /**
     * Locks a job's row until the end of the caller's transaction and returns its status (404 when
     * there is no such job). Completing a job and cancelling it both go through this row, and so
     * does committing an import, so two of them never interleave.
     */
    public static String lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status FROM job WHERE id = ? FOR UPDATE")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(Problem.notFound("job " + id + " does not exist"));
                return rs.getString(1);
            }
        }
    }

    /** Records the job and starts it; returns its id at once. */
    public UUID submit(String kind, JsonNode params, Task task) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO job (id, kind, status, params, owner, lease_until)"
                                        + " VALUES (?, ?, 'RUNNING', ?::jsonb, ?,"
                                        + " now() + ? * interval '1 second')")) {
            ps.setObject(1, id);
            ps.setString(2, kind);
            ps.setString(3, params.toString());
            ps.setString(4, instance);
            ps.setLong(5, LEASE.toSeconds());
            ps.executeUpdate();
        }
        var ctx = new Context() { // var: the runner reads its completed flag
                    long last;
                    volatile boolean stopped;
                    volatile boolean completed;

                    public boolean progress(double f) {
                        long now = System.nanoTime();
                        if (now - last > 100_000_000L || f >= 1) { // at most ten writes a second
                            last = now;
                            // no row updated: the job is no longer RUNNING, i.e. it was cancelled
                            // (maybe by another instance)
                            stopped |= recordProgress(id, Math.min(1, Math.max(0, f))) == 0;
                        }
                        return !cancelled();
                    }

                    public boolean cancelled() {
                        return stopped || running.getOrDefault(id, false);
                    }

                    public UUID id() {
                        return id;
                    }

                    public JsonNode complete(Jdbc.Work<JsonNode> writes) throws SQLException {
                        if (completed)
                            throw new IllegalStateException("job " + id + " is complete already");
                        pause(Stage.BEFORE_LOCK);
                        JsonNode result =
                                Jdbc.inTransaction(
                                        ds,
                                        c -> {
                                            // CANCELLED, or FAILED as lost (its lease ran out):
                                            // nothing
                                            // of this task may be kept
                                            if (!lock(c, id).equals("RUNNING"))
                                                throw new Cancelled();
                                            JsonNode r = writes.run(c);
                                            try (PreparedStatement ps =
                                                    c.prepareStatement(
                                                            "UPDATE job SET status = 'DONE', progress = 1, result = ?::jsonb, updated_at = now() WHERE id = ?")) {
                                                ps.setString(1, r == null ? null : r.toString());
                                                ps.setObject(2, id);
                                                ps.executeUpdate();
                                            }
                                            pause(Stage.BEFORE_COMMIT);
                                            return r;
                                        });
                        completed = true;
                        return result;
                    }

                    void pause(Stage stage) {
                        try {
                            hook.at(stage, id, params);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            if (stage != Stage.ENDED) throw new Cancelled();
                        }
                    }
                };
        running.put(id, false);
        vertx.executeBlocking(
                () -> {
                    try {
                        JsonNode result = task.run(ctx);
                        if (ctx.completed) return null; // DONE, recorded with its writes
                        if (ctx.cancelled()) throw new Cancelled();
                        finish(id, "DONE", result, null);
                    } catch (Cancelled e) {
                        finish(id, "CANCELLED", null, null);
                    } catch (ProblemException e) {
                        finish(id, "FAILED", null, e.problem().detail());
                    } catch (Exception e) {
                        log.error("job {} ({}) failed", id, kind, e);
                        finish(id, "FAILED", null, e.getMessage());
                    } finally {
                        running.remove(id);
                        ctx.pause(Stage.ENDED);
                    }
                    return null;
                },
                false);
        return id;
    }

    public ObjectNode get(UUID id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, kind, status, progress, result::text, error, created_at, updated_at FROM job WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(Problem.notFound("job " + id + " does not exist"));
                ObjectNode n = Responses.JSON.createObjectNode();
                n.put("id", rs.getString(1));
                n.put("kind", rs.getString(2));
                n.put("status", rs.getString(3));
                n.put("progress", rs.getDouble(4));
                String result = rs.getString(5);
                if (result != null) {
                    try {
                        n.set("result", Responses.JSON.readTree(result));
                    } catch (Exception e) {
                        throw new SQLException(e);
                    }
                }
                if (rs.getString(6) != null) n.put("error", rs.getString(6));
                n.put("createdAt", rs.getTimestamp(7).toInstant().toString());
                n.put("updatedAt", rs.getTimestamp(8).toInstant().toString());
                return n;
            }
        }
    }

    /**
     * Cancels a running job; a finished one is left as it is (409). While the job's completing
     * transaction holds its row this waits for it, and then finds the job finished.
     */
    public ObjectNode cancel(UUID id) throws SQLException {
        int rows;
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE job SET status = 'CANCELLED', updated_at = now() WHERE id = ? AND status = 'RUNNING'")) {
            ps.setObject(1, id);
            rows = ps.executeUpdate();
        }
        // Told to a task of this instance only after the row says CANCELLED: told first, the task
        // could stop and record itself CANCELLED before this update, which would then find the job
        // finished and answer 409 to the very cancel that stopped it.
        if (rows == 1) running.replace(id, true);
        if (rows == 0) {
            ObjectNode job = get(id); // 404 when there is no such job
            throw new ProblemException(
                    Problem.of(
                            409,
                            "job-finished",
                            "The job has finished",
                            "job "
                                    + id
                                    + " is "
                                    + job.get("status").asText()
                                    + " and cannot be cancelled",
                            null));
        }
        return get(id);
    }

    private void finish(UUID id, String status, JsonNode result, String error) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE job SET status = ?, progress = CASE WHEN ? = 'DONE' THEN 1 ELSE progress END, result = ?::jsonb, error = ?, updated_at = now() "
                                        + "WHERE id = ? AND status = 'RUNNING'")) {
            ps.setString(1, status);
            ps.setString(2, status);
            ps.setString(3, result == null ? null : result.toString());
            ps.setString(4, error);
            ps.setObject(5, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            log.error("job {}: cannot record {}", id, status, e);
        }
    }

    private int recordProgress(UUID id, double progress) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE job SET progress = ?, updated_at = now(),"
                                        + " lease_until = now() + ? * interval '1 second'"
                                        + " WHERE id = ? AND status = 'RUNNING'")) {
            ps.setDouble(1, progress);
            ps.setLong(2, LEASE.toSeconds());
            ps.setObject(3, id);
            return ps.executeUpdate();
        } catch (SQLException e) {
            log.warn("job {}: cannot record progress: {}", id, e.getMessage());
            return -1;
        }
    }
}
