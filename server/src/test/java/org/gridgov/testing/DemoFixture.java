package org.gridgov.testing;

import java.sql.Connection;
import java.sql.ResultSet;

/**
 * Known facts of the test area, read from PostGIS: a point inside a grid of the active plan (with
 * that grid's code, community and on-duty worker), and categories of each authority.
 */
public final class DemoFixture {

    /** A point inside a known grid of the active plan, and what SQL says about it. */
    public record Probe(
            double lon,
            double lat,
            long gridId,
            String gridCode,
            long communityId,
            Long workerId) {}

    private static Probe probe;
    private static String subdistrictCategory;
    private static String districtCategory;

    private DemoFixture() {}

    private static synchronized void load() {
        if (probe != null) return;
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery(
                            """
                    SELECT ST_X(pt), ST_Y(pt), g.id, g.code, g.community_id,
                           (SELECT s.id FROM staff s WHERE s.grid_id = g.id AND s.role = 'GRID_WORKER' AND s.on_duty
                            ORDER BY s.employment = 'FULL_TIME' DESC, s.id LIMIT 1)
                    FROM grid g, LATERAL ST_PointOnSurface(g.geom) pt
                    WHERE g.plan_id = plan_in_effect()
                    ORDER BY g.id LIMIT 1 OFFSET 3""")) {
                if (!rs.next()) throw new IllegalStateException("the test area has no grids");
                long w = rs.getLong(6);
                probe =
                        new Probe(
                                rs.getDouble(1),
                                rs.getDouble(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getLong(5),
                                rs.wasNull() ? null : w);
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT code FROM category WHERE authority = 'SUBDISTRICT' AND platform = 'ENFORCEMENT' ORDER BY code LIMIT 1")) {
                rs.next();
                subdistrictCategory = rs.getString(1);
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT code FROM category WHERE authority = 'DISTRICT' ORDER BY code LIMIT 1")) {
                rs.next();
                districtCategory = rs.getString(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test area: " + e.getMessage(), e);
        }
    }

    public static Probe probe() {
        load();
        return probe;
    }

    /** An ENFORCEMENT category the subdistrict handles itself. */
    public static String subdistrictCategory() {
        load();
        return subdistrictCategory;
    }

    /** A category beyond the subdistrict's authority. */
    public static String districtCategory() {
        load();
        return districtCategory;
    }

    /** A report body at the given point. */
    public static String report(String category, double lon, double lat) {
        return """
                {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s},
                 "description": "路边占道经营", "reporter": {"name": "王先生", "phone": "13800000000"}}"""
                .formatted(category, lon, lat);
    }

    /** A report body at the probe point. */
    public static String report(String category) {
        return report(category, probe().lon(), probe().lat());
    }
}
