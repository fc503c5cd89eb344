package org.gridgov.open311;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.gridgov.api.Responses;
import org.gridgov.geo.PublicLocation;
import org.gridgov.incident.Channel;

/**
 * Service requests as the public sees them. Only cases the public reported themselves (a public
 * channel) in a category marked public are listed at all; their location is coarsened to a {@value
 * #GRID_DEGREES}° grid; the description only when the public reporter wrote it; never the reporter,
 * never staff. A merged duplicate shows its original's progress. docs/open311.md.
 */
public final class Open311Store {

    /** Locations are snapped to the public grid ({@link PublicLocation}, shared with tracking). */
    static final double GRID_DEGREES = PublicLocation.GRID_DEGREES;

    /** The visibility rule, one place: a public channel and a public category. */
    private static final String LISTED =
            "i.channel IN ("
                    + Channel.PUBLIC.stream()
                            .map(ch -> "'" + ch.name() + "'")
                            .collect(Collectors.joining(", "))
                    + ") AND c.public";

    /** One request row: the case, or for a merged duplicate the original it follows. */
    private static final String SELECT =
            """
            SELECT i.id, coalesce(o.status, i.status), i.category, c.name_zh,
                   -- the public reporter's own words; a report staff entered (actor on its REPORTED event) shows none
                   CASE WHEN NOT EXISTS (SELECT 1 FROM incident_event e
                                         WHERE e.incident_id = i.id AND e.type = 'REPORTED' AND e.actor_id IS NOT NULL)
                        THEN i.description END,
                   p.name_zh, i.reported_at, greatest(i.updated_at, o.updated_at), i.due_at,
                   ST_X(ST_SnapToGrid(i.location, %1$s)), ST_Y(ST_SnapToGrid(i.location, %1$s)), i.duplicate_of,
                   -- the address at public precision (road, number, compound; docs/addresses.md): the
                   -- door plate it was placed by, else the plate nearest its coarsened point
                   coalesce(
                       (SELECT dp.road || dp.number || '号' || coalesce(dp.compound, '')
                        FROM incident_address ia JOIN door_plate dp ON dp.id = ia.door_plate_id
                        WHERE ia.incident_id = i.id),
                       (SELECT dp.road || dp.number || '号' || coalesce(dp.compound, '')
                        FROM door_plate dp
                        WHERE dp.geom && ST_Expand(ST_SnapToGrid(i.location, %1$s), 0.0012)
                        ORDER BY dp.geom <-> ST_SnapToGrid(i.location, %1$s), dp.id LIMIT 1))
            FROM incident i
            JOIN category c ON c.code = i.category
            LEFT JOIN incident o ON o.id = i.duplicate_of
            JOIN platform p ON p.code = coalesce(o.platform, i.platform)
            WHERE %2$s
            """
                    .formatted(GRID_DEGREES, LISTED);

    private final DataSource ds;
    private final ZoneId zone;

    public Open311Store(DataSource ds, ZoneId zone) {
        this.ds = ds;
        this.zone = zone;
    }

    /** The listed ones among these ids: another case is "no such request" to the public. */
    List<ObjectNode> byIds(List<Long> ids) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(SELECT + " AND i.id = ANY (?) ORDER BY i.id")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return read(ps);
        }
    }

    /**
     * Newest first, at most {@code limit}; status open|closed; within a radius of a point when
     * given, measured to the coarsened location (exact points cannot be found by shrinking radii);
     * of one subdistrict when its code is given.
     */
    List<ObjectNode> search(
            String category,
            String status,
            OffsetDateTime from,
            OffsetDateTime to,
            Double lon,
            Double lat,
            int radiusM,
            int limit,
            String subdistrictCode)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder(SELECT).append(" AND i.reported_at >= ? AND i.reported_at < ?");
        List<Object> args = new ArrayList<>(List.of(from, to));
        if (subdistrictCode != null) {
            // a subdistrict's jurisdiction_id: that subdistrict's requests (docs/open311.md)
            sql.append(
                    " AND i.subdistrict_id = (SELECT id FROM jurisdiction"
                            + " WHERE kind = 'SUBDISTRICT' AND code = ?)");
            args.add(subdistrictCode);
        }
        if (category != null) {
            sql.append(" AND i.category = ?");
            args.add(category);
        }
        if ("open".equals(status))
            sql.append(" AND coalesce(o.status, i.status) NOT IN ('CLOSED', 'REJECTED')");
        if ("closed".equals(status))
            sql.append(" AND coalesce(o.status, i.status) IN ('CLOSED', 'REJECTED')");
        if (lon != null) {
            // the index prefilter on the exact point, widened by the snapping; the test on the
            // snapped one
            sql.append(
                    " AND i.location && ST_Expand(ST_SetSRID(ST_MakePoint(?, ?), 4326), ? / 111320.0 / cos(radians(?)) * 1.01 + ?)"
                            + " AND ST_DWithin(ST_SnapToGrid(i.location, ?)::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)"
                            + " AND i.duplicate_of IS NULL");
            args.addAll(
                    List.of(
                            lon,
                            lat,
                            (double) radiusM,
                            lat,
                            GRID_DEGREES,
                            GRID_DEGREES,
                            lon,
                            lat,
                            (double) radiusM));
        }
        sql.append(" ORDER BY i.id DESC LIMIT ?");
        args.add(limit);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int k = 0; k < args.size(); k++) ps.setObject(k + 1, args.get(k));
            return read(ps);
        }
    }

    /**
     * A member of the public follows an open, listed case instead of filing a duplicate: a row of
     * its own, so the case (and its version, which staff actions are checked against) is untouched.
     * Following again is a no-op. False when there is no such case to follow.
     */
    boolean follow(long id, String follower, Instant now) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                WITH target AS (
                    SELECT i.id FROM incident i JOIN category c ON c.code = i.category
                    WHERE i.id = ? AND i.status NOT IN ('CLOSED', 'REJECTED') AND %s
                ), followed AS (
                    INSERT INTO incident_follow (incident_id, follower, created_at)
                    SELECT id, ?, ? FROM target
                    ON CONFLICT (incident_id, follower) DO NOTHING
                )
                SELECT count(*) FROM target"""
                                        .formatted(LISTED))) {
            ps.setLong(1, id);
            ps.setString(2, follower);
            ps.setObject(3, now.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private List<ObjectNode> read(PreparedStatement ps) throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ObjectNode o = Responses.JSON.createObjectNode();
                String status = rs.getString(2);
                boolean open = !status.equals("CLOSED") && !status.equals("REJECTED");
                long dup = rs.getLong(12);
                boolean merged = !rs.wasNull();
                o.put("service_request_id", Long.toString(rs.getLong(1)));
                o.put("status", open ? "open" : "closed");
                o.put("status_notes", notes(status, merged ? dup : null));
                o.put("service_name", rs.getString(4));
                o.put("service_code", rs.getString(3));
                o.put("description", rs.getString(5));
                o.put("agency_responsible", rs.getString(6));
                o.putNull("service_notice");
                o.put("requested_datetime", time(rs.getObject(7, OffsetDateTime.class)));
                o.put("updated_datetime", time(rs.getObject(8, OffsetDateTime.class)));
                o.put("expected_datetime", time(rs.getObject(9, OffsetDateTime.class)));
                o.put("address", rs.getString(13));
                o.putNull("address_id");
                o.putNull("zipcode");
                o.put("lat", grid(rs.getDouble(11)));
                o.put("long", grid(rs.getDouble(10)));
                o.putNull("media_url");
                out.add(o);
            }
        }
        return out;
    }

    /** Public wording of a state: never a staff note, never a name. */
    static String notes(String status, Long mergedInto) {
        String s =
                switch (status) {
                    case "REPORTED" -> "已收到，等待受理 (received, awaiting acceptance)";
                    case "ACCEPTED" -> "已受理，正在派遣 (accepted, being dispatched)";
                    case "DISPATCHED", "IN_PROGRESS", "COORDINATION" -> "处置中 (being handled)";
                    case "RESOLVED", "VERIFIED" -> "已处置，核查中 (handled, being verified)";
                    case "CLOSED" -> "已办结 (closed)";
                    case "ESCALATED" -> "已上报区指挥中心 (referred to the district command centre)";
                    case "REJECTED" -> "不予受理 (not accepted)";
                    default -> status;
                };
        return mergedInto == null
                ? s
                : s + "; 与 #" + mergedInto + " 合并 (merged into request " + mergedInto + ")";
    }

    /** A snapped coordinate as the round decimal it is (120.2905, not 120.29050000000001). */
    private static BigDecimal grid(double snapped) {
        return BigDecimal.valueOf(snapped).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private String time(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(zone).toOffsetDateTime().toString();
    }
}
