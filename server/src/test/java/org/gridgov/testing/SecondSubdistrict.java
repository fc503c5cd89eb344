package org.gridgov.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A second subdistrict beside the demo one, for tests of a district of several subdistricts (issue
 * #20): subdistrict {@value #CODE} east of the demo subdistrict 330108001, sharing part of its
 * boundary and inside the demo district; one community {@value #COMMUNITY_CODE} tiled by a few base
 * units; an ACTIVE plan of its own (subdistrict_id set) with one grid of all those units; a chief
 * commander {@value #CHIEF}, a grid worker {@value #WORKER} on that grid, a planner {@value
 * #PLANNER}, an admin {@value #ADMIN} and a centre operator {@value #OPERATOR} (all subdistrict 2,
 * demo password {@link TestDatabase#DEMO_PASSWORD}); and {@value #INCIDENTS} open or closed
 * incidents in the grid.
 *
 * <p>{@link #install()} is idempotent (the rows are found by code and username when present), so
 * every test class calls it in its set-up. It writes with SQL only, as the database owner; a server
 * already running sees the new plan and boundary when it next refreshes them (the plan timeline's
 * timer), so a test that routes reports there must make the server re-read them first.
 *
 * <p>The shape: the part of a box, straddling the demo subdistrict's easternmost vertex, that lies
 * outside the demo subdistrict. Its western edge is therefore made of the demo subdistrict's own
 * vertices: {@link Ids#boundaryLon()}/{@link Ids#boundaryLat()} is such a vertex, covered by both
 * subdistricts (the tie rule's case). The plan takes effect on 2024-01-02, a day after the demo
 * plan, so code that still takes the earliest plan in effect keeps routing the demo subdistrict.
 */
public final class SecondSubdistrict {

    public static final String CODE = "330108002";
    public static final String NAME = "东湖街道";
    public static final String COMMUNITY_CODE = "330108002001";
    public static final String GRID_CODE = "330108002001001";
    public static final String CHIEF = "chief2";
    public static final String WORKER = "gw2";

    /** The demo already has a "planner2" (a second planner of subdistrict 1). */
    public static final String PLANNER = "planner.sd2";

    public static final String ADMIN = "admin2";
    public static final String OPERATOR = "operator.sd2";
    public static final int INCIDENTS = 5;

    /** The demo subdistrict's code, for contrast in assertions. */
    public static final String FIRST_CODE = "330108001";

    /**
     * What a test needs: the ids of the rows written, a point inside the second subdistrict (inside
     * its grid, away from the shared boundary) and a point on the shared boundary.
     */
    public record Ids(
            long subdistrictId,
            long firstSubdistrictId,
            long districtId,
            long communityId,
            long planId,
            long gridId,
            List<Long> unitIds,
            long chiefId,
            long workerId,
            long plannerId,
            long adminId,
            long operatorId,
            List<Long> incidentIds,
            double lon,
            double lat,
            double boundaryLon,
            double boundaryLat) {}

    private static Ids ids;

    private SecondSubdistrict() {}

    /** Installs the second subdistrict in the test database (once per run) and returns its ids. */
    public static synchronized Ids install() {
        if (ids == null) {
            try {
                ids = install(TestDatabase.get().dataSource());
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "second subdistrict fixture failed: " + e.getMessage(), e);
            }
        }
        return ids;
    }

    /** Installs it in any database holding the demo area (idempotent). */
    public static Ids install(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(330108002)");
                if (!exists(c, "SELECT 1 FROM jurisdiction WHERE code = '" + CODE + "'")) write(st);
                Ids found = read(c);
                c.commit();
                return found;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * A point of the demo district in no subdistrict, [lon, lat]: a report there goes to the
     * district itself.
     */
    public static double[] districtOnly() throws SQLException {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT ST_X(p), ST_Y(p) FROM (
                    SELECT ST_PointOnSurface(ST_Difference(d.geom,
                               (SELECT ST_Union(geom) FROM jurisdiction WHERE kind = 'SUBDISTRICT'))) p
                    FROM jurisdiction d WHERE d.kind = 'DISTRICT') x""")) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static void write(Statement st) throws SQLException {
        // the box: 0.004° (≈ 400 m) into the demo subdistrict at its easternmost vertex, 0.027°
        // (≈ 2.6 km) east of it, 0.0135° (≈ 1.5 km) north and south: inside the demo district,
        // which reaches 6 km beyond the subdistrict
        st.execute(
                """
                CREATE TEMP TABLE sd2_box ON COMMIT DROP AS
                WITH east AS (
                    SELECT (dp).geom AS p FROM (
                        SELECT ST_DumpPoints(geom) AS dp FROM jurisdiction
                        WHERE code = '%s') d
                    ORDER BY ST_X((dp).geom) DESC LIMIT 1)
                SELECT ST_X(p) AS x0, ST_Y(p) AS y0,
                       ST_MakeEnvelope(ST_X(p) - 0.004, ST_Y(p) - 0.0135,
                                       ST_X(p) + 0.027, ST_Y(p) + 0.0135, 4326) AS box
                FROM east"""
                        .formatted(FIRST_CODE));
        st.execute(
                """
                INSERT INTO jurisdiction (id, kind, code, name, geom)
                SELECT (SELECT max(id) + 1 FROM jurisdiction), 'SUBDISTRICT', '%s', '%s',
                       ST_Multi(ST_CollectionExtract(ST_Difference(b.box, j.geom), 3))
                FROM sd2_box b, jurisdiction j WHERE j.code = '%s'"""
                        .formatted(CODE, NAME, FIRST_CODE));
        st.execute(
                """
                INSERT INTO community (id, code, name, kind, geom)
                SELECT (SELECT max(id) + 1 FROM community), '%s', '东湖社区', 'URBAN', geom
                FROM jurisdiction WHERE code = '%s'"""
                        .formatted(COMMUNITY_CODE, CODE));
        // four quarters of the box, cut to the subdistrict: every piece is a unit, so the units
        // tile the community exactly
        st.execute(
                """
                INSERT INTO base_unit (id, community_id, code, land_use, households, population,
                                       geom)
                SELECT (SELECT max(id) FROM base_unit) + row_number() OVER (ORDER BY q, piece),
                       c.id, c.code || lpad((row_number() OVER (ORDER BY q, piece))::text, 4, '0'),
                       'RESIDENTIAL', 120, 300, piece
                FROM community c,
                LATERAL (
                    SELECT q, (ST_Dump(ST_CollectionExtract(
                                   ST_Intersection(c.geom, quarter), 3))).geom AS piece
                    FROM sd2_box b,
                    LATERAL (VALUES
                        (1, ST_MakeEnvelope(ST_XMin(b.box), (ST_YMin(b.box) + ST_YMax(b.box)) / 2,
                                            (ST_XMin(b.box) + ST_XMax(b.box)) / 2, ST_YMax(b.box),
                                            4326)),
                        (2, ST_MakeEnvelope((ST_XMin(b.box) + ST_XMax(b.box)) / 2,
                                            (ST_YMin(b.box) + ST_YMax(b.box)) / 2,
                                            ST_XMax(b.box), ST_YMax(b.box), 4326)),
                        (3, ST_MakeEnvelope(ST_XMin(b.box), ST_YMin(b.box),
                                            (ST_XMin(b.box) + ST_XMax(b.box)) / 2,
                                            (ST_YMin(b.box) + ST_YMax(b.box)) / 2, 4326)),
                        (4, ST_MakeEnvelope((ST_XMin(b.box) + ST_XMax(b.box)) / 2, ST_YMin(b.box),
                                            ST_XMax(b.box), (ST_YMin(b.box) + ST_YMax(b.box)) / 2,
                                            4326))) v (q, quarter)) pieces
                WHERE c.code = '%s' AND ST_Area(piece) > 0"""
                        .formatted(COMMUNITY_CODE));
        st.execute(
                """
                INSERT INTO grid_plan (name, status, effective_from, version, subdistrict_id)
                SELECT '东湖街道2024年网格划分', 'ACTIVE', '2024-01-02T00:00+08:00', 1, id
                FROM jurisdiction WHERE code = '%s'"""
                        .formatted(CODE));
        st.execute(
                """
                INSERT INTO grid (plan_id, community_id, code, name, kind, geom)
                SELECT p.id, c.id, '%s', '东湖社区第1网格', 'BASIC',
                       ST_Multi(ST_Union(u.geom))
                FROM grid_plan p, community c JOIN base_unit u ON u.community_id = c.id
                WHERE p.subdistrict_id = (SELECT id FROM jurisdiction WHERE code = '%s')
                  AND c.code = '%s'
                GROUP BY p.id, c.id"""
                        .formatted(GRID_CODE, CODE, COMMUNITY_CODE));
        st.execute(
                """
                INSERT INTO grid_unit (plan_id, unit_id, grid_id)
                SELECT g.plan_id, u.id, g.id FROM grid g JOIN base_unit u
                    ON u.community_id = g.community_id
                WHERE g.code = '%s'"""
                        .formatted(GRID_CODE));
        // the demo accounts' password hash (the demo password), so TestServer.token logs them in
        st.execute(
                """
                INSERT INTO staff (name, role, scope_type, grid_id, subdistrict_id, phone,
                                   username, password_hash)
                SELECT v.name, v.role, v.scope, CASE WHEN v.scope = 'GRID' THEN g.id END, j.id,
                       v.phone, v.username,
                       (SELECT password_hash FROM staff WHERE username = 'chief')
                FROM (VALUES
                    ('东湖指挥长', 'CHIEF_COMMANDER', 'SUBDISTRICT', '13900000201', '%s'),
                    ('东湖网格员', 'GRID_WORKER', 'GRID', '13900000202', '%s'),
                    ('东湖规划员', 'PLANNER', 'SUBDISTRICT', '13900000203', '%s'),
                    ('东湖管理员', 'ADMIN', 'SUBDISTRICT', '13900000204', '%s'),
                    ('东湖受理员', 'CENTRE_OPERATOR', 'SUBDISTRICT', '13900000205', '%s'))
                    v (name, role, scope, phone, username),
                    jurisdiction j, grid g
                WHERE j.code = '%s' AND g.code = '%s'
                  AND g.plan_id = (SELECT id FROM grid_plan WHERE subdistrict_id = j.id)"""
                        .formatted(CHIEF, WORKER, PLANNER, ADMIN, OPERATOR, CODE, GRID_CODE));
        st.execute(
                """
                UPDATE grid SET worker_id = (SELECT id FROM staff WHERE username = '%s')
                WHERE code = '%s' AND plan_id = (SELECT p.id FROM grid_plan p
                    JOIN jurisdiction j ON j.id = p.subdistrict_id WHERE j.code = '%s')"""
                        .formatted(WORKER, GRID_CODE, CODE));
        // five cases, one per status the lists and actions care about, each at a unit's inner
        // point and with its REPORTED event
        st.execute(
                """
                CREATE TEMP TABLE sd2_incident ON COMMIT DROP AS
                WITH v (n, status, hours) AS (VALUES
                    (1, 'REPORTED', 2), (2, 'REPORTED', 5), (3, 'DISPATCHED', 8),
                    (4, 'IN_PROGRESS', 30), (5, 'CLOSED', 80)),
                u AS (SELECT u.id, ST_PointOnSurface(u.geom) AS p,
                             row_number() OVER (ORDER BY u.id) AS k,
                             count(*) OVER () AS units
                      FROM base_unit u JOIN community c ON c.id = u.community_id
                      WHERE c.code = '%s')
                SELECT v.n, v.status, now() - make_interval(hours => v.hours) AS reported_at,
                       u.p AS location
                FROM v JOIN u ON u.k = (v.n - 1) %% u.units + 1"""
                        .formatted(COMMUNITY_CODE));
        st.execute(
                """
                INSERT INTO incident (status, category, channel, description, location,
                                      reported_at, received_at, reporter_name, reporter_phone,
                                      jurisdiction, plan_id, grid_id, community_id, platform,
                                      assignee_id, due_at, updated_at, closed_at)
                SELECT i.status, 'ENF_EXPOSED_GARBAGE', 'GRID_PATROL',
                       'second subdistrict fixture case ' || i.n, i.location,
                       i.reported_at, i.reported_at, '东湖居民', '13800000200',
                       'SUBDISTRICT', g.plan_id, g.id, g.community_id, 'ENFORCEMENT',
                       CASE WHEN i.status IN ('DISPATCHED', 'IN_PROGRESS', 'CLOSED')
                            THEN g.worker_id END,
                       i.reported_at + interval '8 hours', i.reported_at,
                       CASE WHEN i.status = 'CLOSED' THEN i.reported_at + interval '6 hours' END
                FROM sd2_incident i, grid g
                WHERE g.code = '%s' AND g.plan_id = (SELECT p.id FROM grid_plan p
                    JOIN jurisdiction j ON j.id = p.subdistrict_id WHERE j.code = '%s')
                ORDER BY i.n"""
                        .formatted(GRID_CODE, CODE));
        st.execute(
                """
                INSERT INTO incident_event (incident_id, at, actor_role, type, from_status,
                                            to_status)
                SELECT id, received_at, 'PUBLIC', 'REPORTED', NULL, 'REPORTED' FROM incident
                WHERE description LIKE 'second subdistrict fixture case %' ORDER BY id""");
    }

    private static Ids read(Connection c) throws SQLException {
        long sid = one(c, "SELECT id FROM jurisdiction WHERE code = '" + CODE + "'");
        long first = one(c, "SELECT id FROM jurisdiction WHERE code = '" + FIRST_CODE + "'");
        long district = one(c, "SELECT id FROM jurisdiction WHERE kind = 'DISTRICT'");
        long community = one(c, "SELECT id FROM community WHERE code = '" + COMMUNITY_CODE + "'");
        long plan = one(c, "SELECT id FROM grid_plan WHERE subdistrict_id = " + sid);
        long grid =
                one(
                        c,
                        "SELECT id FROM grid WHERE plan_id = "
                                + plan
                                + " AND code = '"
                                + GRID_CODE
                                + "'");
        List<Long> units =
                list(
                        c,
                        "SELECT id FROM base_unit WHERE community_id = "
                                + community
                                + " ORDER BY id");
        List<Long> incidents =
                list(
                        c,
                        "SELECT id FROM incident WHERE description LIKE"
                                + " 'second subdistrict fixture case %' ORDER BY id");
        double[] inside = new double[2];
        double[] boundary = new double[2];
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                WITH b AS (
                    SELECT (dp).geom AS geom FROM (
                        SELECT ST_DumpPoints(j1.geom) AS dp FROM jurisdiction j1
                        WHERE j1.code = ?) d, jurisdiction j2
                    WHERE j2.code = ? AND ST_Covers(j2.geom, (dp).geom)
                    ORDER BY ST_X((dp).geom) DESC LIMIT 1)
                SELECT ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
                       ST_X(b.geom), ST_Y(b.geom)
                FROM grid g, b WHERE g.id = ?""")) {
            ps.setString(1, FIRST_CODE);
            ps.setString(2, CODE);
            ps.setLong(3, grid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("no shared boundary vertex found");
                inside[0] = rs.getDouble(1);
                inside[1] = rs.getDouble(2);
                boundary[0] = rs.getDouble(3);
                boundary[1] = rs.getDouble(4);
            }
        }
        return new Ids(
                sid,
                first,
                district,
                community,
                plan,
                grid,
                units,
                staff(c, CHIEF),
                staff(c, WORKER),
                staff(c, PLANNER),
                staff(c, ADMIN),
                staff(c, OPERATOR),
                incidents,
                inside[0],
                inside[1],
                boundary[0],
                boundary[1]);
    }

    private static long staff(Connection c, String username) throws SQLException {
        return one(c, "SELECT id FROM staff WHERE username = '" + username + "'");
    }

    private static long one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) throw new SQLException("second subdistrict: no row from " + sql);
            return rs.getLong(1);
        }
    }

    private static List<Long> list(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    /**
     * Makes the running test server route reports into this subdistrict now, rather than when its
     * timers next re-read the plans and boundaries: any committed staff change refreshes the
     * instance's plans (StaffRoutes' afterChange), so the admin's phone is written again; then the
     * boundaries (before them, a point here lies in the district's margin and would be taken as the
     * district's own).
     */
    public static void routeReportsNow() throws SQLException {
        Ids i = install();
        TestServer.Answer touch =
                TestServer.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(
                                                TestServer.base() + "/api/v1/staff/" + i.adminId()))
                                .header("Authorization", "Bearer " + TestServer.token(ADMIN))
                                .header("Content-Type", "application/json")
                                .method(
                                        "PATCH",
                                        java.net.http.HttpRequest.BodyPublishers.ofString(
                                                "{\"phone\": \"13900000204\"}"))
                                .build());
        if (touch.status() != 200)
            throw new IllegalStateException("staff change refused: " + touch.body());
        TestServer.get().refreshAreas();
    }
}
