package org.gridgov.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * ids up to a <em>safe mark</em>: it notes the highest id handed out (the sequence) together with a
 * snapshot's xmax, and a mark becomes safe once every transaction older than the <em>next</em>
 * mark's xmax has finished — by then every transaction that took an id up to the mark has committed
 * or rolled back (the one-poll lag covers a transaction that has drawn its id but not yet its
 * transaction id).
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

    /**
     * The highest id handed out, the oldest transaction of <em>this database</em> still running
     * (else the snapshot's xmax), and the snapshot's xmax. Not the snapshot's own xmin: transaction
     * ids are cluster-wide, so a long transaction in another database of the cluster (a migration,
     * another application) would stall the feed. pg_stat_activity shows every backend's xid to any
     * role; it is read after the statement's snapshot is taken, so a transaction listed as running
     * in the snapshot is either finished by then (it needs no wait) or shown with its database.
     * Prepared (two-phase) transactions are not in pg_stat_activity; gridgov uses none.
     */
    static final String MARK =
            """
            WITH snap AS (SELECT pg_current_snapshot() AS s),
                 here AS (SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity
                          WHERE backend_xid IS NOT NULL
                            AND datid = (SELECT oid FROM pg_database WHERE datname = current_database()))
            SELECT coalesce((SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM incident_event_id_seq), 0),
                   coalesce((SELECT min(x::text::bigint) FROM snap, pg_snapshot_xip(snap.s) x
                             WHERE x::text::bigint % 4294967296 IN (SELECT xid FROM here)),
                            (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap)),
                   (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap)""";

    static final String CHANGES =
            """
            SELECT e.id, e.incident_id, e.at, e.type, e.from_status, e.to_status,
                   i.category, i.platform, i.grid_id, i.status, i.version, ST_X(i.location), ST_Y(i.location),
                   ST_X(pp), ST_Y(pp), extract(epoch FROM i.reported_at)::bigint, i.community_id
            FROM incident_event e JOIN incident i ON i.id = e.incident_id,
                 LATERAL ST_Transform(i.location, ?::int) pp
            WHERE e.id > ? AND e.id <= ?
            ORDER BY e.id LIMIT ?""";

    private record Mark(long highestId, long xmax) {}

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
        long xmin;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(MARK)) {
            rs.next();
            marks.addLast(new Mark(rs.getLong(1), rs.getLong(3)));
            xmin = rs.getLong(2);
        }
        // A mark is safe when the transactions older than the next mark's xmax have all finished.
        long safe = -1;
        while (marks.size() >= 2) {
            Mark first = marks.pollFirst();
            if (xmin < marks.peekFirst().xmax()) {
                marks.addFirst(first);
                break;
            }
            safe = first.highestId();
        }
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
                                    rs.getLong(16)));
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
