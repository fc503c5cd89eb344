package org.gridgov.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;

/**
 * Dev tool (test scope): migrates an empty database, syncs the categories, loads the demo and
 * prints the SQL checks. {@code java -cp … org.gridgov.demo.DemoDevLoad
 * jdbc:postgresql://127.0.0.1:54329/gridgov_demo_dev [incidents]}
 */
public final class DemoDevLoad {

    private static final String[][] CHECKS = {
        {
            "invalid geometries",
            """
                    SELECT (SELECT count(*) FROM jurisdiction WHERE NOT ST_IsValid(geom)) + (SELECT count(*) FROM community WHERE NOT ST_IsValid(geom))
                         + (SELECT count(*) FROM base_unit WHERE NOT ST_IsValid(geom)) + (SELECT count(*) FROM grid WHERE NOT ST_IsValid(geom))
                         + (SELECT count(*) FROM road_edge WHERE NOT ST_IsValid(geom))"""
        },
        {
            "overlapping unit pairs",
            "SELECT count(*) FROM base_unit a JOIN base_unit b ON a.id < b.id AND ST_Overlaps(a.geom, b.geom)"
        },
        {
            "overlapping grid pairs",
            "SELECT count(*) FROM grid a JOIN grid b ON a.id < b.id AND ST_Overlaps(a.geom, b.geom)"
        },
        {
            "subdistrict area m2",
            "SELECT ST_Area(ST_Transform(geom, 4549)) FROM jurisdiction WHERE kind = 'SUBDISTRICT'"
        },
        {"sum community areas m2", "SELECT sum(ST_Area(ST_Transform(geom, 4549))) FROM community"},
        {"sum unit areas m2", "SELECT sum(ST_Area(ST_Transform(geom, 4549))) FROM base_unit"},
        {"sum grid areas m2", "SELECT sum(ST_Area(ST_Transform(geom, 4549))) FROM grid"},
        {
            "union of communities = subdistrict (sym. diff m2)",
            """
                    SELECT ST_Area(ST_Transform(ST_SymDifference((SELECT ST_Union(geom) FROM community),
                                                                  (SELECT geom FROM jurisdiction WHERE kind = 'SUBDISTRICT')), 4549))"""
        },
        {
            "subdistrict within district",
            "SELECT ST_Contains(d.geom, s.geom) FROM jurisdiction d, jurisdiction s WHERE d.kind = 'DISTRICT' AND s.kind = 'SUBDISTRICT'"
        },
        {
            "road components",
            "SELECT count(DISTINCT component) FROM pgr_connectedComponents('SELECT id, source, target, cost, reverse_cost FROM road_edge')"
        },
        {
            "units not touching a road",
            """
                    SELECT count(*) FROM base_unit u WHERE NOT EXISTS (SELECT 1 FROM road_edge e WHERE ST_Intersects(e.geom, u.geom))"""
        },
        {
            "grids spanning >1 community",
            """
                    SELECT count(*) FROM (SELECT gu.grid_id FROM grid_unit gu JOIN base_unit u ON u.id = gu.unit_id
                                          GROUP BY gu.grid_id HAVING count(DISTINCT u.community_id) > 1) x"""
        },
        {"grids with >1 polygon", "SELECT count(*) FROM grid WHERE ST_NumGeometries(geom) > 1"},
        {
            "incidents not covered by their grid",
            """
                    SELECT count(*) FROM incident i JOIN grid g ON g.id = i.grid_id WHERE NOT ST_Covers(g.geom, i.location)"""
        },
        {
            "outside incidents in subdistrict / outside district",
            """
                    SELECT count(*) FILTER (WHERE ST_Covers(s.geom, i.location)) || ' / ' || count(*) FILTER (WHERE NOT ST_Covers(d.geom, i.location))
                    FROM incident i, jurisdiction s, jurisdiction d
                    WHERE i.grid_id IS NULL AND s.kind = 'SUBDISTRICT' AND d.kind = 'DISTRICT'"""
        },
        {
            "incidents by status",
            "SELECT string_agg(status || '=' || n, ', ' ORDER BY n DESC) FROM (SELECT status, count(*) n FROM incident GROUP BY 1) x"
        },
        {
            "incidents by channel",
            "SELECT string_agg(channel || '=' || n, ', ' ORDER BY n DESC) FROM (SELECT channel, count(*) n FROM incident GROUP BY 1) x"
        },
        {
            "incidents by platform",
            "SELECT string_agg(platform || '=' || n, ', ' ORDER BY n DESC) FROM (SELECT platform, count(*) n FROM incident GROUP BY 1) x"
        },
        {
            "version = number of events",
            """
                    SELECT count(*) FROM incident i WHERE i.version <> (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id)"""
        },
        {
            "events, max(id) vs nextval",
            "SELECT count(*) || ' / ' || max(id) || ' / ' || (SELECT last_value FROM incident_event_id_seq) FROM incident_event"
        },
        {
            "reported_at range",
            "SELECT min(reported_at) || ' .. ' || max(reported_at) FROM incident"
        },
        {
            "households / population",
            "SELECT sum(households) || ' / ' || sum(population) FROM base_unit"
        },
        {
            "staff by role",
            "SELECT string_agg(role || '=' || n, ', ' ORDER BY role) FROM (SELECT role, count(*) n FROM staff GROUP BY 1) x"
        },
    };

    public static void main(String[] args) throws Exception {
        String url =
                args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:54329/gridgov_demo_dev";
        int incidents =
                args.length > 1 ? Integer.parseInt(args[1]) : DemoParams.defaults().incidents();
        DemoParams d = DemoParams.defaults();
        DemoParams p =
                new DemoParams(
                        d.seed(), incidents, d.householdsPerGrid(), d.units(), d.communities());
        DbSettings owner =
                org.gridgov.app.Config.fromEnvironment()
                        .ownerDb(); // GRIDGOV_DB_OWNER_USER / _PASSWORD(_FILE)
        try (Database db =
                Database.connect(new DbSettings(url, owner.user(), owner.password(), 4))) {
            db.migrate();
            CategoryCatalog.fromClasspath().sync(db.dataSource());
            System.out.println("loaded before: " + DemoLoader.isLoaded(db.dataSource()));
            long t0 = System.nanoTime();
            DemoSummary s =
                    DemoLoader.load(
                            db.dataSource(), p, org.gridgov.testing.TestDatabase.DEMO_PASSWORD);
            System.out.printf(
                    "LOAD %d incidents: %.1f s  %s%n",
                    incidents, (System.nanoTime() - t0) / 1e9, s);
            System.out.println("loaded after: " + DemoLoader.isLoaded(db.dataSource()));
            if (args.length > 2 && args[2].equals("nochecks")) return;
            try (Connection c = db.connection();
                    Statement st = c.createStatement()) {
                for (String[] check : CHECKS) {
                    long t = System.nanoTime();
                    try (ResultSet rs = st.executeQuery(check[1])) {
                        rs.next();
                        System.out.printf(
                                "  %-55s %s   (%d ms)%n",
                                check[0], rs.getString(1), (System.nanoTime() - t) / 1_000_000);
                    }
                }
            }
        }
    }
}
