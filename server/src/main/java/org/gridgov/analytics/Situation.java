package org.gridgov.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.gridgov.api.Responses;

/**
 * The command centre's situation panel in one query: open cases by platform and state, overdue
 * cases, today's intake by channel, this week's top categories and the busiest grids. "Open" is
 * every state but CLOSED and REJECTED; "today" is the calendar day in the area's zone. A caller
 * inside one subdistrict gets that subdistrict's figures (the isolation rule), a district-wide
 * caller the district's.
 */
final class Situation {

    private static final String SQL =
            """
            WITH open AS (
                SELECT * FROM incident WHERE status NOT IN ('CLOSED', 'REJECTED')
                    AND (?::bigint IS NULL OR subdistrict_id = ?)
            ), today AS (
                SELECT * FROM incident WHERE reported_at >= ?::timestamptz
                    AND (?::bigint IS NULL OR subdistrict_id = ?)
            )
            SELECT json_build_object(
                'asOf', ?::timestamptz,
                'open', (SELECT count(*) FROM open),
                'overdue', (SELECT count(*) FROM open WHERE due_at < ?::timestamptz),
                'openByPlatformAndStatus', (SELECT coalesce(json_agg(x ORDER BY x.platform, x.status), '[]') FROM (
                    SELECT platform, status, count(*) AS count FROM open GROUP BY platform, status) x),
                'todayByChannel', (SELECT coalesce(json_agg(x ORDER BY x.count DESC), '[]') FROM (
                    SELECT channel, count(*) AS count FROM today GROUP BY channel) x),
                'topCategories7d', (SELECT coalesce(json_agg(x ORDER BY x.count DESC), '[]') FROM (
                    SELECT i.category, c.name_zh AS "nameZh", count(*) AS count FROM incident i JOIN category c ON c.code = i.category
                    WHERE i.reported_at >= ?::timestamptz - interval '7 days'
                      AND (?::bigint IS NULL OR i.subdistrict_id = ?)
                    GROUP BY i.category, c.name_zh
                    ORDER BY count(*) DESC LIMIT 10) x),
                'busiestGrids', (SELECT coalesce(json_agg(x ORDER BY x.open DESC), '[]') FROM (
                    SELECT g.id AS "gridId", g.code, g.name, count(*) AS open FROM open o JOIN grid g ON g.id = o.grid_id
                    GROUP BY g.id, g.code, g.name ORDER BY count(*) DESC LIMIT 10) x)
            )::text""";

    private Situation() {}

    /** {@code subdistrict}: one subdistrict's cases, or null for every case. */
    static JsonNode read(DataSource ds, Instant now, ZoneId zone, Long subdistrict)
            throws SQLException {
        Timestamp startOfDay =
                Timestamp.from(now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant());
        Timestamp at = Timestamp.from(now);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SQL)) {
            int k = 1;
            ps.setObject(k++, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(k++, subdistrict, java.sql.Types.BIGINT);
            ps.setTimestamp(k++, startOfDay);
            ps.setObject(k++, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(k++, subdistrict, java.sql.Types.BIGINT);
            ps.setTimestamp(k++, at);
            ps.setTimestamp(k++, at);
            ps.setTimestamp(k++, at);
            ps.setObject(k++, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(k, subdistrict, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Responses.JSON.readTree(rs.getString(1));
            }
        } catch (IOException e) {
            throw new SQLException("unreadable situation summary", e);
        }
    }
}
