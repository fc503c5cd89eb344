package org.gridgov.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads committed incident events in id order and hands them to listeners, with no gaps and no
 * duplicates, on every server instance (each runs its own relay over the same database).
 *
 * <p>Why not simply "id > last seen": ids are taken when a row is inserted, but transactions commit
 * in another order, so id 100 can become visible after id 101. The relay therefore only passes on
 * ids up to a <em>safe mark</em>: it reads the highest id handed out (the sequence), then which
 * transactions of this database hold a transaction id (pg_stat_activity); the mark is safe once
 * every one of those has finished — by then every transaction that took an id up to the mark has
 * committed or rolled back. This rests on one invariant of the writers: a transaction has its
 * transaction id before it draws an event id (intake inserts the incident first, the case engine
 * and the scheduler update it first), so a transaction that holds an event id at the sequence read
 * is listed by the later pg_stat_activity read, unless it has finished.
 *
 * <p>The relay polls the event table (the outbox) every {@value #IDLE_POLL_MS} ms, faster while it
 * is behind. A NOTIFY from the intake transaction would wake it sooner, but PostgreSQL serialises
 * the commits of notifying transactions: measured here, direct inserts fell from about 4,500/s to
 * under 3,000/s with a statement-level NOTIFY trigger (docs/live.md).
 */
public final class EventRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);
    static final int BATCH = 5_000;
    static final long IDLE_POLL_MS = 100;
    static final long BEHIND_POLL_MS = 20;

    /** The highest event id handed out: read first. */
    static final String HIGHEST =
            """
            SELECT coalesce((SELECT CASE WHEN is_called THEN last_value ELSE 0 END
                             FROM incident_event_id_seq), 0)""";

    /**
     * The transactions of <em>this database</em> that hold a transaction id, read after HIGHEST in
     * a statement (and so a transaction) of its own, so the view of pg_stat_activity is taken after
     * the sequence was read. Not the snapshot: a snapshot's xmin and xmax are cluster-wide (a long
     * transaction in another database would stall the feed), and a snapshot lists only transactions
     * below its xmax, latestCompletedXid + 1, so a running transaction with a newer id than any
     * finished one is in no snapshot's list (that hole lost an event once in a few full test runs).
     * pg_stat_activity shows every backend's xid to any role. Prepared (two-phase) transactions are
     * not in it; gridgov uses none.
     */
    static final String RUNNING =
            """
            SELECT backend_xid::text::bigint FROM pg_stat_activity
            WHERE backend_xid IS NOT NULL
              AND datid = (SELECT oid FROM pg_database WHERE datname = current_database())""";

    static final String CHANGES =
            """
            SELECT e.id, e.incident_id, e.at, e.type, e.from_status, e.to_status,
                   i.category, i.platform, i.grid_id, i.status, i.version, ST_X(i.location), ST_Y(i.location),
                   ST_X(pp), ST_Y(pp), extract(epoch FROM i.reported_at)::bigint, i.community_id,
                   i.subdistrict_id
            FROM incident_event e JOIN incident i ON i.id = e.incident_id,
                 LATERAL ST_Transform(i.location, ?::int) pp
            WHERE e.id > ? AND e.id <= ?
            ORDER BY e.id LIMIT ?""";

    /** The highest id handed out, and the transactions that may still hold ids up to it. */
    private record Mark(long highestId, Set<Long> running) {}

    private final DataSource ds;
    private final int planarSrid;
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private volatile long delivered = -1;
    private volatile boolean running = true;
    private final Thread thread;

    /**
     * planarSrid: the planar CRS in which changes also carry their position (analytics bins in it).
     */
    public EventRelay(DataSource ds, int planarSrid) {
        this.ds = ds;
        this.planarSrid = planarSrid;
        this.thread = new Thread(this::loop, "gridgov-event-relay");
        this.thread.setDaemon(true);
    }

    public EventRelay start() {
        thread.start();
        return this;
    }

    public void listen(Consumer<List<Change>> listener) {
        listeners.add(listener);
    }

    /**
     * Every event with an id up to this is committed and has been passed on; -1 before the first
     * mark.
     */
    public long delivered() {
        return delivered;
    }

    /** Waits until the relay has its starting mark (a poll or two after start). */
    public void awaitStart(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (delivered < 0) {
            if (System.currentTimeMillis() > deadline)
                throw new IllegalStateException(
                        "the event relay found no starting mark in " + timeoutMs + " ms");
            Thread.sleep(10);
        }
    }

    /** Reads committed events in (after, upTo], oldest first, at most limit: used to replay. */
    public List<Change> read(long after, long upTo, int limit) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return read(c, planarSrid, after, upTo, limit);
        }
    }

    private void loop() {
        while (running) {
            try (Connection c = ds.getConnection()) {
                while (running) {
                    step(c);
                    sleep(behind() ? BEHIND_POLL_MS : IDLE_POLL_MS);
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("event relay: {}; retrying in 1 s", e.getMessage());
                    sleep(1000);
                }
            }
        }
    }

    /** True when ids have been handed out that are not yet passed on: look again soon. */
    private boolean behind() {
        return delivered < 0 || (!marks.isEmpty() && marks.peekLast().highestId() > delivered);
    }

    private void step(Connection c) throws SQLException {
        long highest;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(HIGHEST)) {
            rs.next();
            highest = rs.getLong(1);
        }
        Set<Long> running = new HashSet<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(RUNNING)) {
            while (rs.next()) running.add(rs.getLong(1));
        }
        marks.addLast(new Mark(highest, running));
        // A mark is safe when none of the transactions it noted is still running (the newest mark:
        // when none was running at all); marks are released in order.
        long safe = -1;
        while (!marks.isEmpty() && Collections.disjoint(marks.peekFirst().running(), running))
            safe = marks.pollFirst().highestId();
        if (safe < 0) return;
        if (delivered < 0) { // the first safe mark is where this relay starts
            delivered = safe;
            return;
        }
        while (delivered < safe) {
            List<Change> batch = read(c, planarSrid, delivered, safe, BATCH);
            delivered = batch.size() < BATCH ? safe : batch.get(batch.size() - 1).eventId();
            if (batch.isEmpty()) continue;
            for (var l : listeners) {
                try {
                    l.accept(batch);
                } catch (RuntimeException e) {
                    log.error("event relay listener failed", e);
                }
            }
        }
    }

    private static List<Change> read(Connection c, int planarSrid, long after, long upTo, int limit)
            throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CHANGES)) {
            ps.setInt(1, planarSrid);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long grid = rs.getLong(9);
                    Long gridId = rs.wasNull() ? null : grid;
                    long community = rs.getLong(17);
                    Long communityId = rs.wasNull() ? null : community;
                    long subdistrict = rs.getLong(18);
                    Long subdistrictId = rs.wasNull() ? null : subdistrict;
                    out.add(
                            new Change(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    rs.getObject(3, OffsetDateTime.class),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    gridId,
                                    communityId,
                                    rs.getString(10),
                                    rs.getInt(11),
                                    rs.getDouble(12),
                                    rs.getDouble(13),
                                    rs.getDouble(14),
                                    rs.getDouble(15),
                                    rs.getLong(16),
                                    subdistrictId));
                }
            }
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
