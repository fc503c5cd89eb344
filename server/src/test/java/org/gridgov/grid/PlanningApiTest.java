package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Plans over HTTP: list, draft, workload, validation rules on broken drafts, edits and undo,
 * rebalance jobs, compare.
 */
@Tag("db")
class PlanningApiTest {

    static long activePlan() {
        JsonNode plans = TestServer.getAs("planner", "/api/v1/plans").json().get("plans");
        for (JsonNode p : plans) if (p.get("inEffect").asBoolean()) return p.get("id").asLong();
        throw new AssertionError("no plan in effect: " + plans);
    }

    static JsonNode draft() {
        var a =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans",
                        "{\"from\":\"active\",\"name\":\"test draft\"}");
        assertEquals(201, a.status(), a.body());
        return a.json();
    }

    static JsonNode edit(long plan, String body) {
        var a = TestServer.postAs("planner", "/api/v1/plans/" + plan + "/edits", body);
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    static int version(long plan) {
        return TestServer.getAs("planner", "/api/v1/plans/" + plan).json().get("version").asInt();
    }

    static JsonNode validate(long plan, String body) {
        var a = TestServer.postAs("planner", "/api/v1/plans/" + plan + "/validate", body);
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    static Set<String> types(JsonNode report) {
        Set<String> s = new HashSet<>();
        for (JsonNode p : report.get("problems")) s.add(p.get("type").asText());
        return s;
    }

    static long[] query(String sql, long... args) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setLong(i + 1, args[i]);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** Two grids of one community that share an edge, and a unit of the first on that edge. */
    static long[] neighbours(long plan) throws Exception {
        return query(
                """
                SELECT x FROM (
                  SELECT ga.grid_id AS a, gb.grid_id AS b, ga.unit_id AS u
                  FROM grid_unit ga JOIN base_unit ua ON ua.id = ga.unit_id
                  JOIN base_unit ub ON ub.geom && ua.geom AND ST_Relate(ua.geom, ub.geom, 'F***1****') AND ub.community_id = ua.community_id
                  JOIN grid_unit gb ON gb.unit_id = ub.id AND gb.plan_id = ga.plan_id AND gb.grid_id <> ga.grid_id
                  JOIN grid g1 ON g1.id = ga.grid_id AND g1.kind = 'BASIC' JOIN grid g2 ON g2.id = gb.grid_id AND g2.kind = 'BASIC'
                  WHERE ga.plan_id = ? ORDER BY ga.unit_id LIMIT 1) s, LATERAL unnest(ARRAY[s.a, s.b, s.u]) x""",
                plan);
    }

    @Test
    void listsPlansWithStatus() {
        var a = TestServer.getAs("planner", "/api/v1/plans");
        assertEquals(200, a.status());
        JsonNode plans = a.json().get("plans");
        assertTrue(plans.size() >= 1);
        for (JsonNode p : plans)
            assertTrue(
                    Set.of("DRAFT", "ACTIVE", "RETIRED").contains(p.get("status").asText()),
                    p.toString());
        assertEquals(404, TestServer.getAs("planner", "/api/v1/plans/999999").status());
    }

    @Test
    void workloadPerGridAsGeoJson() throws Exception {
        long plan = activePlan();
        var a =
                TestServer.getAs(
                        "planner",
                        "/api/v1/analytics/workload?plan="
                                + plan
                                + "&from="
                                + TestDatabase.demoAnchor().minus(java.time.Duration.ofDays(365))
                                + "&to="
                                + TestDatabase.demoAnchor()); // the demo's year
        assertEquals(200, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/geo+json"));
        JsonNode fc = a.json();
        assertEquals("FeatureCollection", fc.get("type").asText());
        int grids = fc.get("features").size();
        assertTrue(grids > 5);
        double mean = fc.get("meanWorkload").asDouble(), sumDev = 0;
        int incidents = 0, basic = 0;
        for (JsonNode f : fc.get("features")) {
            JsonNode p = f.get("properties");
            assertTrue(p.get("workload").asDouble() > 0);
            assertTrue(p.get("areaM2").asDouble() > 1000);
            assertTrue(p.has("workerId"), "the plan's worker (or null) for the planner screen");
            JsonNode w = p.get("workerId");
            // the plan's own worker, else the grid worker staff.grid_id names (what routing uses)
            long[] expected =
                    query(
                            """
                    SELECT coalesce(g.worker_id, (SELECT s.id FROM staff s WHERE s.grid_id = g.id AND s.role = 'GRID_WORKER'
                        ORDER BY s.employment = 'FULL_TIME' DESC, s.id LIMIT 1)) FROM grid g WHERE g.id = ?""",
                            p.get("id").asLong());
            assertEquals(expected[0], w.isNull() ? 0 : w.asLong());
            double pp = p.get("polsbyPopper").asDouble();
            assertTrue(pp > 0 && pp <= 1, "Polsby-Popper in (0,1]: " + pp);
            assertEquals(
                    p.get("workload").asDouble() / mean - 1, p.get("deviation").asDouble(), 0.002);
            incidents += p.get("incidents").asInt();
            if (p.get("kind").asText().equals("BASIC")) {
                sumDev += p.get("deviation").asDouble();
                basic++;
            }
            assertTrue(f.get("geometry").get("type").asText().endsWith("Polygon"));
        }
        assertEquals(0, sumDev / basic, 0.001, "deviations of basic grids average zero");
        assertTrue(incidents > 1000, "the small demo's incidents are counted: " + incidents);
        // a window with nothing in it: only static load
        JsonNode empty =
                TestServer.getAs(
                                "planner",
                                "/api/v1/analytics/workload?plan="
                                        + plan
                                        + "&from=2000-01-01T00:00:00Z&to=2000-02-01T00:00:00Z")
                        .json();
        for (JsonNode f : empty.get("features"))
            assertEquals(0, f.get("properties").get("incidents").asInt());
        assertEquals(
                400,
                TestServer.getAs("planner", "/api/v1/analytics/workload?from=yesterday").status());
        assertEquals(
                400, TestServer.getAs("planner", "/api/v1/analytics/workload?plan=x").status());
        assertEquals(
                404,
                TestServer.getAs("planner", "/api/v1/analytics/workload?plan=999999").status());
        assertEquals(
                400,
                TestServer.getAs(
                                "planner",
                                "/api/v1/analytics/workload?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
                        .status());
    }

    @Test
    void aFreshDraftIsValidAndHasTheSameGrids() throws Exception {
        long active = activePlan();
        JsonNode d = draft();
        long id = d.get("id").asLong();
        assertEquals("DRAFT", d.get("status").asText());
        assertEquals(active, d.get("basedOn").asLong());
        assertArrayEquals(
                query("SELECT count(*) FROM grid WHERE plan_id = ?", active),
                query("SELECT count(*) FROM grid WHERE plan_id = ?", id));
        assertArrayEquals(
                query("SELECT count(*) FROM grid_unit WHERE plan_id = ?", active),
                query("SELECT count(*) FROM grid_unit WHERE plan_id = ?", id));
        JsonNode report = validate(id, "{\"band\": 5}");
        assertTrue(report.get("valid").asBoolean(), report.toString());
        assertEquals(0, report.get("problems").size());
    }

    @Test
    void everyValidationRuleFindsItsBreach() throws Exception {
        long id = draft().get("id").asLong();
        long[] n = neighbours(id);
        long gridA = n[0], gridB = n[1];
        // unassigned and empty: drop the units of grid B from the assignment directly
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            c.createStatement().executeUpdate("DELETE FROM grid_unit WHERE grid_id = " + gridB);
        }
        JsonNode r = validate(id, "{\"band\": 5}");
        assertFalse(r.get("valid").asBoolean());
        assertTrue(
                types(r).containsAll(Set.of("unassigned-unit", "empty-grid", "invalid-geometry")),
                types(r).toString());
        for (JsonNode p : r.get("problems")) {
            if (p.get("type").asText().equals("unassigned-unit")) {
                assertEquals(1, p.get("unitIds").size());
                assertTrue(
                        p.get("location").get("type").asText().contains("Polygon"), p.toString());
            }
        }

        long id2 = draft().get("id").asLong();
        long[] m = neighbours(id2);
        long g2 = m[0];
        // a unit of another community in this grid: crosses-community
        long[] foreign =
                query(
                        """
                SELECT b.id FROM base_unit b WHERE b.community_id <> (SELECT community_id FROM grid WHERE id = ?) ORDER BY b.id LIMIT 1""",
                        g2);
        edit(
                id2,
                "{\"expectedVersion\": "
                        + version(id2)
                        + ", \"op\": \"move-units\", \"unitIds\": ["
                        + foreign[0]
                        + "], \"toGridId\": "
                        + g2
                        + "}");
        r = validate(id2, "{\"band\": 5}");
        assertTrue(types(r).contains("crosses-community"), types(r).toString());
        assertTrue(
                types(r).contains("non-contiguous-grid"),
                "a far unit also makes the grid non-contiguous: " + types(r));
        for (JsonNode p : r.get("problems")) {
            if (p.get("type").asText().equals("crosses-community")) {
                assertEquals(foreign[0], p.get("unitIds").get(0).asLong());
                assertNotNull(p.get("location").get("coordinates"));
            }
        }
        // workload band
        r = validate(id2, "{\"band\": 0.01}");
        assertTrue(types(r).contains("workload-out-of-band"));

        // doubly assigned: a grid geometry that also covers a unit of its neighbour
        long id3 = draft().get("id").asLong();
        long[] k = neighbours(id3);
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            c.createStatement()
                    .executeUpdate(
                            """
                    UPDATE grid SET geom = ST_Multi(ST_Union(geom, (SELECT geom FROM base_unit WHERE id = %d))) WHERE id = %d"""
                                    .formatted(k[2], k[1]));
        }
        r = validate(id3, "{\"band\": 5}");
        assertTrue(types(r).contains("doubly-assigned-unit"), types(r).toString());
        assertTrue(
                types(r).contains("invalid-geometry"),
                "geometry no longer the union of its units: " + types(r));
        assertFalse(types(r).contains("unassigned-unit"));

        // adoption of an invalid plan is refused, nothing changes
        var refused =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id3 + "/adopt",
                        "{\"effectiveFrom\": \"2099-01-01T00:00:00+08:00\"}");
        assertEquals(409, refused.status(), refused.body());
        assertTrue(refused.json().get("type").asText().endsWith("/plan-invalid"));
        assertEquals(
                "DRAFT",
                TestServer.getAs("planner", "/api/v1/plans/" + id3).json().get("status").asText());
    }

    @Test
    void aUnitRetiredByAnImportIsAValidationProblem() throws Exception {
        long id = draft().get("id").asLong();
        long unit = query("SELECT min(unit_id) FROM grid_unit WHERE plan_id = ?", id)[0];
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            c.createStatement()
                    .executeUpdate("UPDATE base_unit SET retired_at = now() WHERE id = " + unit);
            try {
                JsonNode r = validate(id, "{\"band\": 5}");
                assertFalse(r.get("valid").asBoolean());
                JsonNode retired = null;
                for (JsonNode p : r.get("problems"))
                    if (p.get("type").asText().equals("retired-unit")) retired = p;
                assertNotNull(retired, r.toString());
                assertEquals(unit, retired.get("unitIds").get(0).asLong());
                assertTrue(
                        retired.get("location").get("type").asText().contains("Polygon"),
                        retired.toString());
            } finally {
                c.createStatement()
                        .executeUpdate("UPDATE base_unit SET retired_at = NULL WHERE id = " + unit);
            }
        }
        assertTrue(
                validate(id, "{\"band\": 5}").get("valid").asBoolean(),
                "valid again once the unit is back");
    }

    @Test
    void editsCheckTheVersionAndUndo() throws Exception {
        long id = draft().get("id").asLong();
        long[] n = neighbours(id);
        long gridA = n[0], gridB = n[1], unit = n[2];
        int v = version(id);
        JsonNode e =
                edit(
                        id,
                        "{\"expectedVersion\": "
                                + v
                                + ", \"op\": \"move-units\", \"unitIds\": ["
                                + unit
                                + "], \"toGridId\": "
                                + gridB
                                + "}");
        assertEquals(v + 1, e.get("version").asInt());
        assertArrayEquals(
                new long[] {gridB},
                query("SELECT grid_id FROM grid_unit WHERE plan_id = ? AND unit_id = ?", id, unit));
        // the grid geometry follows its units
        assertArrayEquals(
                new long[] {1},
                query(
                        "SELECT count(*) FROM grid g, base_unit b WHERE g.id = ? AND b.id = ? AND ST_Covers(g.geom, ST_PointOnSurface(b.geom))",
                        gridB,
                        unit));
        // stale version: 409, nothing changed
        var stale =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id + "/edits",
                        "{\"expectedVersion\": "
                                + v
                                + ", \"op\": \"rename\", \"gridId\": "
                                + gridA
                                + ", \"name\": \"x\"}");
        assertEquals(409, stale.status());
        assertTrue(stale.json().get("type").asText().endsWith("/stale-version"));
        assertEquals(v + 1, version(id));
        // rename, set worker, create, delete
        edit(
                id,
                "{\"expectedVersion\": "
                        + (v + 1)
                        + ", \"op\": \"rename\", \"gridId\": "
                        + gridA
                        + ", \"name\": \"新名字\"}");
        assertEquals(1, query("SELECT count(*) FROM grid WHERE id = ? AND name = '新名字'", gridA)[0]);
        long worker =
                query("SELECT id FROM staff WHERE role = 'GRID_WORKER' ORDER BY id LIMIT 1")[0];
        edit(
                id,
                "{\"expectedVersion\": "
                        + (v + 2)
                        + ", \"op\": \"set-worker\", \"gridId\": "
                        + gridA
                        + ", \"workerId\": "
                        + worker
                        + "}");
        assertEquals(worker, query("SELECT worker_id FROM grid WHERE id = ?", gridA)[0]);
        long community = query("SELECT community_id FROM grid WHERE id = ?", gridA)[0];
        long grids = query("SELECT count(*) FROM grid WHERE plan_id = ?", id)[0];
        edit(
                id,
                "{\"expectedVersion\": "
                        + (v + 3)
                        + ", \"op\": \"create\", \"communityId\": "
                        + community
                        + "}");
        assertEquals(grids + 1, query("SELECT count(*) FROM grid WHERE plan_id = ?", id)[0]);
        long created = query("SELECT max(id) FROM grid WHERE plan_id = ?", id)[0];
        assertTrue(query("SELECT code FROM grid WHERE id = ?", created).length == 1);
        edit(
                id,
                "{\"expectedVersion\": "
                        + (v + 4)
                        + ", \"op\": \"delete\", \"gridId\": "
                        + created
                        + "}");
        var notEmpty =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id + "/edits",
                        "{\"expectedVersion\": "
                                + (v + 5)
                                + ", \"op\": \"delete\", \"gridId\": "
                                + gridA
                                + "}");
        assertEquals(422, notEmpty.status());
        // undo everything back to the start, one step at a time
        for (int step = 0; step < 5; step++) {
            var u =
                    TestServer.postAs(
                            "planner",
                            "/api/v1/plans/" + id + "/undo",
                            "{\"expectedVersion\": " + version(id) + "}");
            assertEquals(200, u.status(), u.body());
        }
        assertArrayEquals(
                new long[] {gridA},
                query("SELECT grid_id FROM grid_unit WHERE plan_id = ? AND unit_id = ?", id, unit));
        assertEquals(0, query("SELECT count(*) FROM grid WHERE id = ? AND name = '新名字'", gridA)[0]);
        assertEquals(grids, query("SELECT count(*) FROM grid WHERE plan_id = ?", id)[0]);
        assertEquals(
                409,
                TestServer.postAs(
                                "planner",
                                "/api/v1/plans/" + id + "/undo",
                                "{\"expectedVersion\": " + version(id) + "}")
                        .status());
        assertTrue(validate(id, "{\"band\": 5}").get("valid").asBoolean());
        assertEquals(
                0,
                TestServer.getAs("planner", "/api/v1/plans/" + id + "/edits")
                        .json()
                        .get("edits")
                        .size());
    }

    @Test
    void redoBringsUndoneEditsBackInOrderAndANewEditDiscardsThem() throws Exception {
        long id = draft().get("id").asLong();
        long[] n = neighbours(id);
        long gridA = n[0], gridB = n[1], unit = n[2];
        long community = query("SELECT community_id FROM grid WHERE id = ?", gridA)[0];
        assertEquals(
                409,
                TestServer.postAs(
                                "planner",
                                "/api/v1/plans/" + id + "/redo",
                                "{\"expectedVersion\": " + version(id) + "}")
                        .status(),
                "nothing to redo yet");
        edit(
                id,
                "{\"expectedVersion\": "
                        + version(id)
                        + ", \"op\": \"move-units\", \"unitIds\": ["
                        + unit
                        + "], \"toGridId\": "
                        + gridB
                        + "}");
        edit(
                id,
                "{\"expectedVersion\": "
                        + version(id)
                        + ", \"op\": \"create\", \"communityId\": "
                        + community
                        + "}");
        long created = query("SELECT max(id) FROM grid WHERE plan_id = ?", id)[0];
        edit(
                id,
                "{\"expectedVersion\": "
                        + version(id)
                        + ", \"op\": \"rename\", \"gridId\": "
                        + created
                        + ", \"name\": \"重做\"}");
        for (int i = 0; i < 3; i++) undo(id);
        assertArrayEquals(
                new long[] {gridA},
                query("SELECT grid_id FROM grid_unit WHERE plan_id = ? AND unit_id = ?", id, unit));
        assertEquals(0, query("SELECT count(*) FROM grid WHERE id = ?", created)[0]);
        JsonNode h = TestServer.getAs("planner", "/api/v1/plans/" + id + "/edits").json();
        assertEquals(0, h.get("edits").size());
        assertEquals(
                List.of("move-units", "create", "rename"), ops(h.get("redo")), "next redo first");
        // redo in order; the created grid comes back with its id, so the rename applies to it
        assertEquals("move-units", redo(id).get("redone").asText());
        assertArrayEquals(
                new long[] {gridB},
                query("SELECT grid_id FROM grid_unit WHERE plan_id = ? AND unit_id = ?", id, unit));
        // undo and redo interleaved keep stack order
        undo(id);
        assertEquals("move-units", redo(id).get("redone").asText());
        assertEquals("create", redo(id).get("redone").asText());
        assertEquals("rename", redo(id).get("redone").asText());
        assertEquals(
                1, query("SELECT count(*) FROM grid WHERE id = ? AND name = '重做'", created)[0]);
        assertEquals(
                List.of("move-units", "create", "rename"),
                ops(
                        TestServer.getAs("planner", "/api/v1/plans/" + id + "/edits")
                                .json()
                                .get("edits")));
        // stale version: 409 and nothing moves
        undo(id);
        var stale =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id + "/redo",
                        "{\"expectedVersion\": " + (version(id) - 1) + "}");
        assertEquals(409, stale.status());
        assertTrue(stale.json().get("type").asText().endsWith("/stale-version"));
        // a new edit discards what could be redone (a client cannot forge the marker)
        edit(
                id,
                "{\"expectedVersion\": "
                        + version(id)
                        + ", \"op\": \"rename\", \"gridId\": "
                        + gridA
                        + ", \"name\": \"新\", \"undone\": 99}");
        h = TestServer.getAs("planner", "/api/v1/plans/" + id + "/edits").json();
        assertEquals(0, h.get("redo").size());
        assertEquals(List.of("move-units", "create", "rename"), ops(h.get("edits")));
        var none =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id + "/redo",
                        "{\"expectedVersion\": " + version(id) + "}");
        assertEquals(409, none.status());
        assertTrue(none.json().get("type").asText().endsWith("/nothing-to-redo"));
    }

    @Test
    void unitsTellWhichGridHoldsEachUnit() throws Exception {
        long id = draft().get("id").asLong();
        long[] n = neighbours(id);
        edit(
                id,
                "{\"expectedVersion\": "
                        + version(id)
                        + ", \"op\": \"move-units\", \"unitIds\": ["
                        + n[2]
                        + "], \"toGridId\": "
                        + n[1]
                        + "}");
        JsonNode u = TestServer.getAs("planner", "/api/v1/plans/" + id + "/units").json();
        assertEquals(
                query("SELECT count(DISTINCT unit_id) FROM grid_unit WHERE plan_id = ?", id)[0],
                u.get("unitIds").size(),
                "every unit, once");
        assertEquals(u.get("unitIds").size(), u.get("gridIds").size());
        int found = 0;
        for (int i = 0; i < u.get("unitIds").size(); i++) {
            if (u.get("unitIds").get(i).asLong() != n[2]) continue;
            found++;
            assertEquals(n[1], u.get("gridIds").get(i).asLong());
            assertEquals(
                    geojson("SELECT code FROM grid WHERE id = " + n[1]),
                    u.get("gridCodes").get(i).asText());
        }
        assertEquals(1, found);
        assertEquals(404, TestServer.getAs("planner", "/api/v1/plans/987654321/units").status());
    }

    private static void undo(long id) throws Exception {
        var u =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id + "/undo",
                        "{\"expectedVersion\": " + version(id) + "}");
        assertEquals(200, u.status(), u.body());
    }

    private static JsonNode redo(long id) throws Exception {
        var r =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id + "/redo",
                        "{\"expectedVersion\": " + version(id) + "}");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static List<String> ops(JsonNode edits) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : edits) out.add(e.get("request").get("op").asText());
        return out;
    }

    @Test
    void claimSplitAndMerge() throws Exception {
        long id = draft().get("id").asLong();
        long[] n = neighbours(id);
        long gridA = n[0], gridB = n[1];
        long unitsB = query("SELECT count(*) FROM grid_unit WHERE grid_id = ?", gridB)[0];
        // claim: a polygon around grid B's units (its envelope, shrunk) moves them to A
        String poly =
                geojson("SELECT ST_AsGeoJSON(ST_Envelope(geom)) FROM grid WHERE id = " + gridB);
        JsonNode claim =
                edit(
                        id,
                        "{\"expectedVersion\": "
                                + version(id)
                                + ", \"op\": \"claim-polygon\", \"gridId\": "
                                + gridA
                                + ", \"polygon\": "
                                + poly
                                + "}");
        assertTrue(claim.get("result").asText().contains("claimed"));
        assertEquals(
                0,
                query("SELECT count(*) FROM grid_unit WHERE grid_id = ?", gridB)[0],
                "all of B lies in its envelope");
        // merge needs grids of one community; delete B now empty is allowed, undo instead
        TestServer.postAs(
                "planner",
                "/api/v1/plans/" + id + "/undo",
                "{\"expectedVersion\": " + version(id) + "}");
        assertEquals(unitsB, query("SELECT count(*) FROM grid_unit WHERE grid_id = ?", gridB)[0]);
        long grids = query("SELECT count(*) FROM grid WHERE plan_id = ?", id)[0];
        edit(
                id,
                "{\"expectedVersion\": "
                        + version(id)
                        + ", \"op\": \"merge\", \"gridId\": "
                        + gridB
                        + ", \"intoGridId\": "
                        + gridA
                        + "}");
        assertEquals(grids - 1, query("SELECT count(*) FROM grid WHERE plan_id = ?", id)[0]);
        // split A by a line through its centre, north-south
        String line =
                geojson(
                        """
                SELECT ST_AsGeoJSON(ST_MakeLine(ST_MakePoint(ST_X(c), ST_YMin(e) - 0.01), ST_MakePoint(ST_X(c), ST_YMax(e) + 0.01)))
                FROM (SELECT ST_Centroid(geom) c, geom::box2d e FROM grid WHERE id = %d) s"""
                                .formatted(gridA));
        JsonNode split =
                edit(
                        id,
                        "{\"expectedVersion\": "
                                + version(id)
                                + ", \"op\": \"split\", \"gridId\": "
                                + gridA
                                + ", \"line\": "
                                + line
                                + "}");
        assertTrue(split.get("result").asText().contains("split into"));
        assertTrue(query("SELECT count(*) FROM grid WHERE plan_id = ?", id)[0] >= grids);
        var far =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + id + "/edits",
                        "{\"expectedVersion\": "
                                + version(id)
                                + ", \"op\": \"split\", \"gridId\": "
                                + gridA
                                + ", \"line\": {\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}}");
        assertEquals(422, far.status());
        assertTrue(far.json().get("type").asText().endsWith("/line-does-not-split"));
    }

    @Test
    void badEditsAreRefusedAndChangeNothing() throws Exception {
        long id = draft().get("id").asLong();
        int v = version(id);
        String[] bodies = {
            "{\"op\": \"rename\"}",
            "{\"expectedVersion\": " + v + ", \"op\": \"explode\"}",
            "{\"expectedVersion\": "
                    + v
                    + ", \"op\": \"move-units\", \"unitIds\": [999999], \"toGridId\": 1}",
            "{\"expectedVersion\": "
                    + v
                    + ", \"op\": \"move-units\", \"unitIds\": [], \"toGridId\": 1}",
            "{\"expectedVersion\": "
                    + v
                    + ", \"op\": \"claim-polygon\", \"gridId\": 1, \"polygon\": {\"type\":\"Point\",\"coordinates\":[0,0]}}",
            "{\"expectedVersion\": "
                    + v
                    + ", \"op\": \"rename\", \"gridId\": 999999, \"name\": \"x\"}",
            "{\"expectedVersion\": " + v + ", \"op\": \"set-worker\", \"gridId\": 999999}",
            "not json",
        };
        for (String b : bodies) {
            var a = TestServer.postAs("planner", "/api/v1/plans/" + id + "/edits", b);
            assertTrue(
                    a.status() == 400 || a.status() == 422,
                    b + " -> " + a.status() + " " + a.body());
            assertEquals("application/problem+json", a.contentType());
        }
        assertEquals(v, version(id), "nothing changed");
        long active = activePlan();
        var notDraft =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + active + "/edits",
                        "{\"expectedVersion\": 1, \"op\": \"rename\", \"gridId\": 1, \"name\": \"x\"}");
        assertEquals(409, notDraft.status());
        int plans = TestServer.getAs("planner", "/api/v1/plans").json().get("plans").size();
        assertEquals(
                401,
                TestServer.post("/api/v1/plans", "{\"from\":\"active\"}").status(),
                "anonymous may not plan");
        assertEquals(
                403,
                TestServer.postAs("operator", "/api/v1/plans", "{\"from\":\"active\"}").status(),
                "an operator is no planner");
        assertEquals(
                422,
                TestServer.postAs("planner", "/api/v1/plans", "{\"from\": \"nope\"}").status());
        assertEquals(
                422, TestServer.postAs("planner", "/api/v1/plans", "{\"from\": 999999}").status());
        assertEquals(422, TestServer.postAs("planner", "/api/v1/plans", "{\"name\": 5}").status());
        assertEquals(
                plans,
                TestServer.getAs("planner", "/api/v1/plans").json().get("plans").size(),
                "no plan created");
    }

    @Test
    void rebalanceRunsAsAJobAndProducesASoundDraft() throws Exception {
        long active = activePlan();
        var a =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + active + "/rebalance",
                        "{\"mode\": \"keepCount\", \"tolerance\": 0.05}");
        assertEquals(202, a.status(), a.body());
        String job = a.json().get("jobId").asText();
        assertEquals("/api/v1/jobs/" + job, a.header("Location"));
        JsonNode j = waitFor(job);
        assertEquals("DONE", j.get("status").asText(), j.toString());
        assertEquals(1.0, j.get("progress").asDouble());
        long planId = j.get("result").get("planId").asLong();
        JsonNode plan = TestServer.getAs("planner", "/api/v1/plans/" + planId).json();
        assertEquals("DRAFT", plan.get("status").asText());
        assertEquals(active, plan.get("basedOn").asLong());
        assertTrue(
                j.get("result").get("after").get("maxDeviation").asDouble()
                        <= j.get("result").get("before").get("maxDeviation").asDouble());
        assertEquals(1.0, j.get("result").get("after").get("contiguousShare").asDouble());
        // contiguity and community containment, checked by PostGIS on the stored plan
        assertEquals(
                0,
                query(
                        "SELECT count(*) FROM grid WHERE plan_id = ? AND ST_NumGeometries(geom) <> 1",
                        planId)[0],
                "every grid one polygon");
        assertEquals(
                0,
                query(
                        """
                SELECT count(*) FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id JOIN grid g ON g.id = gu.grid_id
                WHERE gu.plan_id = ? AND b.community_id <> g.community_id""",
                        planId)[0],
                "every grid inside one community");
        // every unit of the plan's subdistrict (a district test database holds others too)
        assertEquals(
                query(
                        """
                SELECT count(*) FROM base_unit b JOIN community c ON c.id = b.community_id
                WHERE c.subdistrict_id IS NULL
                   OR c.subdistrict_id = (SELECT subdistrict_id FROM grid_plan WHERE id = ?)""",
                        planId)[0],
                query("SELECT count(*) FROM grid_unit WHERE plan_id = ?", planId)[0]);
        // sound but for the grids the rebalance made: they have no worker until a planner names one
        JsonNode report = validate(planId, "{\"band\": 5}");
        for (JsonNode p : report.get("problems"))
            if (p.get("severity").asText().equals("error"))
                assertEquals("grid-without-worker", p.get("type").asText(), p.toString());
        // the active plan is untouched
        assertEquals(active, activePlan());
        // compare
        JsonNode cmp =
                TestServer.getAs("planner", "/api/v1/plans/" + active + "/compare/" + planId)
                        .json();
        assertEquals(j.get("result").get("unitsMoved").asInt(), cmp.get("unitsMoved").asInt());
        assertTrue(cmp.has("gridsSplit") && cmp.has("gridsMerged") && cmp.has("workersAffected"));
        assertEquals(
                cmp.get("before").get("maxDeviation").asDouble(),
                j.get("result").get("before").get("maxDeviation").asDouble(),
                1e-4);
        JsonNode self =
                TestServer.getAs("planner", "/api/v1/plans/" + active + "/compare/" + active)
                        .json();
        assertEquals(0, self.get("unitsMoved").asInt());
        assertEquals(0, self.get("gridsChanged").size());
    }

    @Test
    void capacityModeAndBadRebalanceRequests() throws Exception {
        long active = activePlan();
        var a =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + active + "/rebalance",
                        "{\"mode\": \"capacity\", \"capacityPerWorker\": 1000000}");
        assertEquals(202, a.status());
        JsonNode j = waitFor(a.json().get("jobId").asText());
        assertEquals("DONE", j.get("status").asText(), j.toString());
        long communities =
                query(
                        """
                SELECT count(*) FROM community c WHERE c.subdistrict_id IS NULL
                   OR c.subdistrict_id = (SELECT subdistrict_id FROM grid_plan WHERE id = ?)""",
                        active)[0];
        assertEquals(
                communities,
                j.get("result").get("after").get("basicGrids").asInt(),
                "a huge capacity leaves one basic grid per community");
        for (String bad :
                new String[] {
                    "{\"mode\": \"fast\"}",
                    "{\"mode\": \"capacity\"}",
                    "{\"tolerance\": 7}",
                    "{\"mode\": \"targets\", \"gridsPerCommunity\": {\"999\": 2}}",
                    "{\"communityFactors\": {\"1\": -1}}",
                    "{\"colour\": 1}"
                }) {
            var r = TestServer.postAs("planner", "/api/v1/plans/" + active + "/rebalance", bad);
            assertEquals(422, r.status(), bad + " " + r.body());
        }
        assertEquals(
                404, TestServer.postAs("planner", "/api/v1/plans/999999/rebalance", "{}").status());
        assertEquals(
                404,
                TestServer.getAs("planner", "/api/v1/jobs/" + java.util.UUID.randomUUID())
                        .status());
        assertEquals(404, TestServer.getAs("planner", "/api/v1/jobs/not-a-uuid").status());
    }

    @Test
    void aFinishedJobCannotBeCancelledAndARunningOneCan() throws Exception {
        long active = activePlan();
        var a = TestServer.postAs("planner", "/api/v1/plans/" + active + "/rebalance", "{}");
        String job = a.json().get("jobId").asText();
        var del =
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(TestServer.base() + "/api/v1/jobs/" + job))
                                .header("Authorization", "Bearer " + TestServer.token("planner"))
                                .DELETE()
                                .build());
        JsonNode j = waitFor(job);
        if (del.status() == 200) {
            assertEquals("CANCELLED", j.get("status").asText(), "cancelled in time: " + j);
            assertFalse(j.has("result"));
        } else {
            assertEquals(409, del.status(), "too late to cancel: " + del.body());
            assertEquals("DONE", j.get("status").asText());
        }
        var again =
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(TestServer.base() + "/api/v1/jobs/" + job))
                                .header("Authorization", "Bearer " + TestServer.token("planner"))
                                .DELETE()
                                .build());
        assertEquals(409, again.status());
    }

    static JsonNode waitFor(String job) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode j = TestServer.getAs("planner", "/api/v1/jobs/" + job).json();
            if (!j.get("status").asText().equals("RUNNING")
                    || System.currentTimeMillis() > deadline) return j;
            double p = j.get("progress").asDouble();
            assertTrue(p >= 0 && p <= 1);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static String geojson(String sql) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
