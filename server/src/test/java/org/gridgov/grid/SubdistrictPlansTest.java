package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.gridgov.geo.Crs;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;
import org.gridgov.rebalance.WorkloadModel;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Plans per subdistrict (issue #20): two subdistricts each with a plan in effect, one routing index
 * over both, adoption that touches one subdistrict only, drafts a planner of another subdistrict
 * cannot see or change, foreign units refused with nothing changed, and a rebalance over one
 * subdistrict's units.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictPlansTest {

    private static SecondSubdistrict.Ids sd2;
    private static final String PLANNER1 = "planner";
    private static final String PLANNER2 = SecondSubdistrict.PLANNER;
    private static final String DISTRICT_ADMIN = "admin.district.sdplans";

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        sd2 = SecondSubdistrict.install();
        // the server re-reads the plans (the fixture wrote them with SQL)
        TestServer.get("/api/v1/grids/at?lon=" + sd2.lon() + "&lat=" + sd2.lat());
        // a district-wide admin (scope DISTRICT is for admins, auditors and the district roles)
        sql(
                """
                INSERT INTO staff (name, role, scope_type, phone, username, password_hash)
                SELECT '区管理员', 'ADMIN', 'DISTRICT', '13900000299', '%s',
                       (SELECT password_hash FROM staff WHERE username = 'chief')
                WHERE NOT EXISTS (SELECT 1 FROM staff WHERE username = '%s')"""
                        .formatted(DISTRICT_ADMIN, DISTRICT_ADMIN));
    }

    @Test
    void theRoutingIndexHoldsEverySubdistrictsPlanInEffect() throws Exception {
        long plan1 = planInEffect(sd2.firstSubdistrictId());
        double[] p1 = pointOfAGrid(plan1);
        JsonNode a =
                TestServer.get("/api/v1/grids/at?lon=" + sd2.lon() + "&lat=" + sd2.lat()).json();
        assertEquals(sd2.planId(), a.get("planId").asLong(), a.toString());
        assertEquals(sd2.gridId(), a.at("/grid/id").asLong());
        assertEquals(SecondSubdistrict.GRID_CODE, a.at("/grid/code").asText());
        JsonNode b = TestServer.get("/api/v1/grids/at?lon=" + p1[0] + "&lat=" + p1[1]).json();
        assertEquals(plan1, b.get("planId").asLong(), b.toString());
        assertTrue(b.at("/grid/code").asText().startsWith(SecondSubdistrict.FIRST_CODE));

        // the timeline in memory: one index over both plans, each plan by its subdistrict
        PlanTimeline t = PlanTimeline.load(TestDatabase.get().dataSource());
        Instant now = Instant.now();
        GridIndex index = t.indexAt(now);
        assertTrue(
                index.planIds().containsAll(List.of(plan1, sd2.planId())),
                index.planIds().toString());
        assertEquals(sd2.planId(), index.find(sd2.lon(), sd2.lat()).orElseThrow().planId());
        assertEquals(plan1, index.find(p1[0], p1[1]).orElseThrow().planId());
        assertEquals(sd2.planId(), t.periodAt(now, sd2.subdistrictId()).orElseThrow().planId());
        assertEquals(plan1, t.periodAt(now, sd2.firstSubdistrictId()).orElseThrow().planId());

        // the public grid list: every subdistrict's plan in effect
        JsonNode grids = TestServer.get("/api/v1/grids").json();
        Set<Long> plans = new HashSet<>();
        for (JsonNode f : grids.get("features")) plans.add(f.at("/properties/planId").asLong());
        assertEquals(Set.of(plan1, sd2.planId()), plans);
    }

    @Test
    void adoptingInOneSubdistrictLeavesTheOthersPlanInEffect() throws Exception {
        long plan1 = planInEffect(sd2.firstSubdistrictId());
        String before = row(plan1);
        var d = TestServer.postAs(PLANNER2, "/api/v1/plans", "{\"from\": \"active\"}");
        assertEquals(201, d.status(), d.body());
        long draft = d.json().get("id").asLong();
        assertEquals(sd2.subdistrictId(), d.json().get("subdistrictId").asLong());
        assertEquals(sd2.planId(), d.json().get("basedOn").asLong());
        // far in the future, so the fixture's plan stays in effect now for every other test
        var a =
                TestServer.postAs(
                        PLANNER2,
                        "/api/v1/plans/" + draft + "/adopt",
                        "{\"effectiveFrom\": \"2095-01-01T00:00:00+08:00\", \"band\": 10}");
        assertEquals(200, a.status(), a.body());
        assertEquals(before, row(plan1), "the first subdistrict's plan is untouched");
        assertEquals(
                "2095-01-01 00:00:00+08",
                one(
                        "SELECT effective_to AT TIME ZONE 'Asia/Shanghai' || '+08' FROM grid_plan WHERE id = "
                                + sd2.planId()));
        String later = "&at=2095-06-01T00:00:00%2B08:00";
        JsonNode in2 =
                TestServer.get("/api/v1/grids/at?lon=" + sd2.lon() + "&lat=" + sd2.lat() + later)
                        .json();
        assertEquals(draft, in2.get("planId").asLong(), in2.toString());
        double[] p1 = pointOfAGrid(plan1);
        JsonNode in1 =
                TestServer.get("/api/v1/grids/at?lon=" + p1[0] + "&lat=" + p1[1] + later).json();
        long plan1Then =
                Long.parseLong(
                        one(
                                "SELECT plan_in_effect('2095-06-01T00:00+08', "
                                        + sd2.firstSubdistrictId()
                                        + ")"));
        assertEquals(plan1Then, in1.get("planId").asLong(), in1.toString());
        assertNotEquals(draft, plan1Then);
        // and now, both fixture plans still route
        JsonNode now2 =
                TestServer.get("/api/v1/grids/at?lon=" + sd2.lon() + "&lat=" + sd2.lat()).json();
        assertEquals(sd2.planId(), now2.get("planId").asLong());
    }

    @Test
    void aPlannerOfOneSubdistrictNeitherSeesNorChangesAnothersDrafts() throws Exception {
        var d = TestServer.postAs(PLANNER1, "/api/v1/plans", "{\"from\": \"active\"}");
        assertEquals(201, d.status(), d.body());
        long draft = d.json().get("id").asLong();
        assertEquals(sd2.firstSubdistrictId(), d.json().get("subdistrictId").asLong());
        int version = d.json().get("version").asInt();

        assertEquals(404, TestServer.getAs(PLANNER2, "/api/v1/plans/" + draft).status());
        assertEquals(404, TestServer.getAs(PLANNER2, "/api/v1/plans/" + draft + "/units").status());
        assertEquals(404, TestServer.getAs(PLANNER2, "/api/v1/plans/" + draft + "/edits").status());
        var edit =
                TestServer.postAs(
                        PLANNER2,
                        "/api/v1/plans/" + draft + "/edits",
                        "{\"expectedVersion\": "
                                + version
                                + ", \"op\": \"rename\", \"gridId\": "
                                + firstGrid(draft)
                                + ", \"name\": \"x\"}");
        assertEquals(404, edit.status(), edit.body());
        assertEquals(
                404,
                TestServer.postAs(
                                PLANNER2,
                                "/api/v1/plans/" + draft + "/adopt",
                                "{\"effectiveFrom\": \"2096-01-01T00:00:00+08:00\"}")
                        .status());
        assertEquals(
                404,
                TestServer.postAs(PLANNER2, "/api/v1/plans/" + draft + "/rebalance", "{}")
                        .status());
        assertEquals(
                version,
                Integer.parseInt(one("SELECT version FROM grid_plan WHERE id = " + draft)));

        // the list: only the caller's subdistrict
        JsonNode list = TestServer.getAs(PLANNER2, "/api/v1/plans").json().get("plans");
        assertFalse(list.isEmpty());
        for (JsonNode p : list) assertEquals(sd2.subdistrictId(), p.get("subdistrictId").asLong());
        assertEquals(
                403,
                TestServer.getAs(PLANNER2, "/api/v1/plans?subdistrict=" + sd2.firstSubdistrictId())
                        .status());
        // a draft for another subdistrict: refused
        var other =
                TestServer.postAs(
                        PLANNER2,
                        "/api/v1/plans",
                        "{\"from\": \"empty\", \"subdistrictId\": "
                                + sd2.firstSubdistrictId()
                                + "}");
        assertEquals(403, other.status(), other.body());
        assertTrue(other.header("Content-Type").startsWith("application/problem+json"));

        // district-wide: every plan, one subdistrict's with ?subdistrict=, and a draft names one
        JsonNode all = TestServer.getAs(DISTRICT_ADMIN, "/api/v1/plans").json().get("plans");
        Set<Long> sids = new HashSet<>();
        for (JsonNode p : all) sids.add(p.get("subdistrictId").asLong());
        assertTrue(
                sids.containsAll(Set.of(sd2.subdistrictId(), sd2.firstSubdistrictId())),
                sids.toString());
        JsonNode only2 =
                TestServer.getAs(DISTRICT_ADMIN, "/api/v1/plans?subdistrict=" + sd2.subdistrictId())
                        .json()
                        .get("plans");
        for (JsonNode p : only2) assertEquals(sd2.subdistrictId(), p.get("subdistrictId").asLong());
        assertEquals(200, TestServer.getAs(DISTRICT_ADMIN, "/api/v1/plans/" + draft).status());
        var unnamed = TestServer.postAs(DISTRICT_ADMIN, "/api/v1/plans", "{\"from\": \"empty\"}");
        assertEquals(422, unnamed.status(), unnamed.body());
        assertEquals("/subdistrictId", unnamed.json().get("field").asText());
        var named =
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/plans",
                        "{\"from\": \"active\", \"subdistrictId\": " + sd2.subdistrictId() + "}");
        assertEquals(201, named.status(), named.body());
        assertEquals(sd2.planId(), named.json().get("basedOn").asLong());
        assertEquals(sd2.subdistrictId(), named.json().get("subdistrictId").asLong());
    }

    @Test
    void aDraftGivenAnotherSubdistrictsUnitsIs422AndUnchanged() throws Exception {
        var d = TestServer.postAs(PLANNER1, "/api/v1/plans", "{\"from\": \"active\"}");
        long draft = d.json().get("id").asLong();
        int version = d.json().get("version").asInt();
        long grid = firstGrid(draft);
        String units =
                one(
                        "SELECT count(*) || ':' || coalesce(sum(unit_id * grid_id), 0) FROM grid_unit WHERE plan_id = "
                                + draft);
        long foreign = sd2.unitIds().get(0);
        var r =
                TestServer.postAs(
                        PLANNER1,
                        "/api/v1/plans/" + draft + "/edits",
                        "{\"expectedVersion\": "
                                + version
                                + ", \"op\": \"move-units\", \"unitIds\": ["
                                + foreign
                                + "], \"toGridId\": "
                                + grid
                                + "}");
        assertEquals(422, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/problem+json"));
        assertEquals("/unitIds", r.json().get("field").asText());
        String detail = r.json().get("detail").asText();
        assertTrue(detail.contains(String.valueOf(foreign)), detail);
        assertTrue(detail.contains(SecondSubdistrict.CODE), detail);
        assertEquals(
                version,
                Integer.parseInt(one("SELECT version FROM grid_plan WHERE id = " + draft)));
        assertEquals(
                units,
                one(
                        "SELECT count(*) || ':' || coalesce(sum(unit_id * grid_id), 0) FROM grid_unit WHERE plan_id = "
                                + draft));

        // a new grid of the other subdistrict's community: the same
        var c =
                TestServer.postAs(
                        PLANNER1,
                        "/api/v1/plans/" + draft + "/edits",
                        "{\"expectedVersion\": "
                                + version
                                + ", \"op\": \"create\", \"communityId\": "
                                + sd2.communityId()
                                + "}");
        assertEquals(422, c.status(), c.body());
        assertEquals("/communityId", c.json().get("field").asText());
        // a rebalance asking for grids in the other subdistrict's community
        var rb =
                TestServer.postAs(
                        PLANNER1,
                        "/api/v1/plans/" + draft + "/rebalance",
                        "{\"mode\": \"targets\", \"gridsPerCommunity\": {\""
                                + sd2.communityId()
                                + "\": 2}}");
        assertEquals(422, rb.status(), rb.body());
        assertEquals(
                version,
                Integer.parseInt(one("SELECT version FROM grid_plan WHERE id = " + draft)));
    }

    @Test
    void rebalancingOneSubdistrictTouchesOnlyItsUnits() throws Exception {
        long plan1 = planInEffect(sd2.firstSubdistrictId());
        String before1 =
                one(
                        "SELECT count(*) || ':' || sum(unit_id * grid_id) FROM grid_unit WHERE plan_id = "
                                + plan1);
        var a =
                TestServer.postAs(
                        PLANNER2,
                        "/api/v1/plans/" + sd2.planId() + "/rebalance",
                        "{\"mode\": \"keepCount\", \"tolerance\": 0.05}");
        assertEquals(202, a.status(), a.body());
        JsonNode j = waitFor(PLANNER2, a.json().get("jobId").asText());
        assertEquals("DONE", j.get("status").asText(), j.toString());
        long draft = j.at("/result/planId").asLong();
        assertEquals(
                sd2.unitIds().size(), j.at("/result/before/units").asInt(sd2.unitIds().size()));
        assertEquals(
                String.valueOf(sd2.subdistrictId()),
                one("SELECT subdistrict_id FROM grid_plan WHERE id = " + draft));
        assertEquals(
                new HashSet<>(sd2.unitIds()),
                new HashSet<>(longs("SELECT unit_id FROM grid_unit WHERE plan_id = " + draft)),
                "the draft holds exactly the second subdistrict's units");
        assertEquals(
                "0",
                one(
                        "SELECT count(*) FROM grid g JOIN community c ON c.id = g.community_id"
                                + " WHERE g.plan_id = "
                                + draft
                                + " AND c.subdistrict_id <> "
                                + sd2.subdistrictId()));
        assertEquals(
                before1,
                one(
                        "SELECT count(*) || ':' || sum(unit_id * grid_id) FROM grid_unit WHERE plan_id = "
                                + plan1));
        // and it validates over its own units: no unit of the first subdistrict is missing
        JsonNode v =
                TestServer.postAs(
                                PLANNER2, "/api/v1/plans/" + draft + "/validate", "{\"band\": 10}")
                        .json();
        for (JsonNode p : v.get("problems"))
            assertNotEquals("unassigned-unit", p.get("type").asText(), p.toString());
    }

    @Test
    void theWorkloadMapWeighsAPlanAsItsRebalanceDoes() throws Exception {
        // one window for both, so only whose measured cases weigh could tell them apart
        Instant to = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(Duration.ofDays(365));
        // The second subdistrict has no measured case of its own (V38: its plan is weighed by
        // its own cases, so every factor is 1); weighed by the demo's cases its reports would
        // count otherwise. Without that difference this test could not fail.
        DataSource ds = TestDatabase.get().dataSource();
        Planning p =
                new Planning(
                        ds, null, WorkloadModel.defaults(), Clock.systemUTC(), Crs.PLANAR_DEFAULT);
        UnitGraph g = p.graph(sd2.subdistrictId());
        Planning.Window window = new Planning.Window(from, to);
        double own = total(p.workloads(g, sd2.subdistrictId(), window));
        double all = total(p.workloads(g, null, window));
        assertTrue(
                Math.abs(own - all) > 0.5,
                "own cases " + own + " h, every subdistrict's " + all + " h: no difference to see");

        String q = "&from=" + from + "&to=" + to;
        var map = TestServer.getAs(PLANNER2, "/api/v1/analytics/workload?plan=" + sd2.planId() + q);
        assertEquals(200, map.status(), map.body());
        double mapMean = map.json().get("meanWorkload").asDouble();
        var a =
                TestServer.postAs(
                        PLANNER2,
                        "/api/v1/plans/" + sd2.planId() + "/rebalance",
                        "{\"mode\": \"keepCount\", \"from\": \"%s\", \"to\": \"%s\"}"
                                .formatted(from, to));
        assertEquals(202, a.status(), a.body());
        JsonNode j = waitFor(PLANNER2, a.json().get("jobId").asText());
        assertEquals("DONE", j.get("status").asText(), j.toString());
        assertEquals(
                j.at("/result/before/meanWorkload").asDouble(),
                mapMean,
                "the workload map and a rebalance of the same plan weigh it alike");
        // one basic grid of every unit: its workload is the subdistrict's own-weighed total
        assertEquals(Math.round(own * 10) / 10.0, mapMean, 0.051, "weighed by its own cases");
    }

    private static double total(UnitWorkloads w) {
        double sum = 0;
        for (double x : w.load()) sum += x;
        return sum;
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode waitFor(String user, String job) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode j = TestServer.getAs(user, "/api/v1/jobs/" + job).json();
            if (!"RUNNING".equals(j.path("status").asText())
                            && !"QUEUED".equals(j.path("status").asText())
                    || System.currentTimeMillis() > deadline) return j;
            Thread.sleep(50);
        }
    }

    private static long planInEffect(long subdistrict) throws Exception {
        return Long.parseLong(one("SELECT plan_in_effect(now(), " + subdistrict + ")"));
    }

    private static long firstGrid(long plan) throws Exception {
        return Long.parseLong(one("SELECT min(id) FROM grid WHERE plan_id = " + plan));
    }

    private static double[] pointOfAGrid(long plan) throws Exception {
        String[] xy =
                one("SELECT ST_X(p) || ',' || ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p"
                                + " FROM grid WHERE plan_id = "
                                + plan
                                + " AND NOT ST_IsEmpty(geom) ORDER BY id LIMIT 1) x")
                        .split(",");
        return new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
    }

    private static String row(long plan) throws Exception {
        return one(
                "SELECT concat_ws('/', status, effective_from, effective_to, version) FROM grid_plan"
                        + " WHERE id = "
                        + plan);
    }

    private static String one(String q) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(q)) {
            assertTrue(rs.next(), q);
            return rs.getString(1);
        }
    }

    private static List<Long> longs(String q) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(q)) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    private static List<String> strings(String q) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(q)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static void sql(String q) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute(q);
        }
    }
}
