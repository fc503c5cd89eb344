package org.gridgov.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.cases.CaseStatus;
import org.gridgov.db.Jdbc;
import org.gridgov.geo.PublicLocation;
import org.gridgov.workflow.CaseEngine;
import org.gridgov.workflow.ReporterRating;

/**
 * What the tracking page reads of one case, and the reporter's rating with its callback task, in
 * one transaction. Reads only what may be public: no reporter, no staff, no notes; the location
 * snapped as public locations are ({@link PublicLocation}).
 */
public final class TrackStore {

    /** The case, and for a merged duplicate the state of the original it follows. */
    private static final String CASE =
            """
            SELECT i.id, i.status, coalesce(o.status, i.status), i.duplicate_of, i.category,
                   c.name_zh, c.name_en, i.reported_at, greatest(i.updated_at, o.updated_at),
                   ST_X(%1$s), ST_Y(%1$s), i.satisfaction
            FROM incident i
            JOIN category c ON c.code = i.category
            LEFT JOIN incident o ON o.id = i.duplicate_of
            WHERE i.id = ?"""
                    .formatted(PublicLocation.snapped("i.location"));

    /** The event kinds, times and the few data fields the public steps read; never notes. */
    private static final String EVENTS =
            """
            SELECT type, to_status, at, data ->> 'reason', data ->> 'satisfaction', data ->> 'notSolved'
            FROM incident_event WHERE incident_id = ? ORDER BY id""";

    private static final String CALLBACK =
            """
            INSERT INTO callback_task (incident_id, created_at, satisfaction, comment)
            VALUES (?, ?, ?, ?)""";

    /** One event as the public steps need it. */
    record Event(String type, String to, OffsetDateTime at, String reason) {}

    /** The reporter's rating as they gave it. */
    record Rating(int satisfaction, boolean notSolved, OffsetDateTime at) {}

    /** One case as the tracking page may show it. */
    record Tracked(
            long id,
            CaseStatus status,
            CaseStatus shownStatus,
            Long mergedInto,
            String category,
            String categoryZh,
            String categoryEn,
            OffsetDateTime reportedAt,
            OffsetDateTime updatedAt,
            double lon,
            double lat,
            Integer satisfaction,
            Rating rating,
            List<Event> events) {}

    private final DataSource ds;
    private final CaseEngine engine;
    private final Clock clock;

    public TrackStore(DataSource ds, CaseEngine engine, Clock clock) {
        this.ds = ds;
        this.engine = engine;
        this.clock = clock;
    }

    Optional<Tracked> find(long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return find(c, id);
        }
    }

    private static Optional<Tracked> find(Connection c, long id) throws SQLException {
        long caseId;
        CaseStatus status, shown;
        Long merged;
        String category, zh, en;
        OffsetDateTime reported, updated;
        double lon, lat;
        Integer satisfaction;
        try (PreparedStatement ps = c.prepareStatement(CASE)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                caseId = rs.getLong(1);
                status = CaseStatus.valueOf(rs.getString(2));
                shown = CaseStatus.valueOf(rs.getString(3));
                long m = rs.getLong(4);
                merged = rs.wasNull() ? null : m;
                category = rs.getString(5);
                zh = rs.getString(6);
                en = rs.getString(7);
                reported = rs.getObject(8, OffsetDateTime.class);
                updated = rs.getObject(9, OffsetDateTime.class);
                lon = rs.getDouble(10);
                lat = rs.getDouble(11);
                int s = rs.getInt(12);
                satisfaction = rs.wasNull() ? null : s;
            }
        }
        List<Event> events = new ArrayList<>();
        Rating rating = null;
        try (PreparedStatement ps = c.prepareStatement(EVENTS)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Event e =
                            new Event(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getObject(3, OffsetDateTime.class),
                                    rs.getString(4));
                    events.add(e);
                    if (e.type().equals("RATE") && rs.getString(5) != null)
                        rating =
                                new Rating(
                                        Integer.parseInt(rs.getString(5)),
                                        "true".equals(rs.getString(6)),
                                        e.at());
                }
            }
        }
        return Optional.of(
                new Tracked(
                        caseId,
                        status,
                        shown,
                        merged,
                        category,
                        zh,
                        en,
                        reported,
                        updated,
                        lon,
                        lat,
                        satisfaction,
                        rating,
                        List.copyOf(events)));
    }

    /**
     * The reporter's rating (the engine checks the state and that it is the first), and when the
     * matter is not solved the callback task for the command centre, in one transaction: a refusal
     * leaves nothing behind. Answers the case as it is afterwards.
     */
    Tracked rate(long id, ReporterRating rating) throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    engine.rateByReporter(c, id, rating);
                    if (rating.notSolved()) {
                        try (PreparedStatement ps = c.prepareStatement(CALLBACK)) {
                            ps.setLong(1, id);
                            ps.setObject(2, clock.instant().atOffset(ZoneOffset.UTC));
                            ps.setInt(3, rating.satisfaction());
                            ps.setString(4, rating.comment());
                            ps.executeUpdate();
                        }
                    }
                    return find(c, id).orElseThrow();
                });
    }
}
