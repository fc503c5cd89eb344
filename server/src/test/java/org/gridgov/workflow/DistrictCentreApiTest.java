package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Year;
import java.time.ZoneId;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The district command centre (区指挥中心, docs/district.md) over HTTP with the demo's district
 * accounts: its queue, accept, assign to a department, the department's resolution, verification
 * and closing by the subdistrict; return with a reason; the escalation rule; its board and the KPIs
 * by subdistrict.
 */
@Tag("db")
@Tag("second-subdistrict")
class DistrictCentreApiTest {

    /** Of district authority: intake escalates it (gis-data/taxonomy/categories.csv). */
    static final String DISTRICT_CAT = "ENF_MAJOR_POLLUTION";

    /** Of subdistrict authority. */
    static final String SUBDISTRICT_CAT = "ENF_EXPOSED_GARBAGE";

    static final String DEPARTMENT = "DCC_TEST_ECOLOGY";
    static long handlerId;
    static String handler;

    @BeforeAll
    static void setUp() throws Exception {
        init();
        // a district department whose named handler is one of the enforcement platform's handlers
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO department (code, name_zh, name_en, platform, handler_id)
                SELECT ?, '区生态环境分局', 'District ecology bureau', 'ENFORCEMENT', s.id
                FROM staff s WHERE s.role = 'PLATFORM_HANDLER' AND s.platform = 'ENFORCEMENT'
                ORDER BY s.id LIMIT 1
                ON CONFLICT (code) DO UPDATE SET handler_id = excluded.handler_id
                RETURNING handler_id""")) {
            ps.setString(1, DEPARTMENT);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the demo has an enforcement handler");
                handlerId = rs.getLong(1);
            }
        }
        handler = username(handlerId);
    }

    private static JsonNode queueItem(String user, long id) {
        Answer q = TestServer.getAs(user, "/api/v1/district/queue?limit=1000");
        assertEquals(200, q.status(), q.body());
        for (JsonNode i : q.json().get("items")) if (i.get("incidentId").asLong() == id) return i;
        return null;
    }

    private static JsonNode allowed(String user, long id) {
        Answer a = TestServer.getAs(user, "/api/v1/incidents/" + id + "/actions");
        assertEquals(200, a.status(), a.body());
        return a.json().get("actions");
    }

    private static boolean offers(String user, long id, String action) {
        for (JsonNode a : allowed(user, id)) if (a.asText().equals(action)) return true;
        return false;
    }

    private static JsonNode lastEvent(long id) {
        JsonNode ev =
                TestServer.getAs("chief", "/api/v1/incidents/" + id + "/events")
                        .json()
                        .get("events");
        return ev.get(ev.size() - 1);
    }

    @Test
    void escalatedAcceptedAssignedResolvedVerifiedClosed() throws Exception {
        JsonNode r = report(DISTRICT_CAT);
        long id = r.get("id").asLong();
        assertEquals("ESCALATED", r.get("status").asText());

        JsonNode item = queueItem("doperator", id);
        assertNotNull(item, "an escalated case is in the district's queue");
        assertEquals("WAITING", item.get("stage").asText());
        assertEquals(DISTRICT_CAT, item.get("category").asText());
        assertTrue(item.get("subdistrict").hasNonNull("code"), item.toString());
        assertTrue(item.get("ageHours").asDouble() >= 0);
        assertTrue(item.hasNonNull("deadline"), item.toString());
        assertTrue(offers("doperator", id, "district-accept"));
        assertFalse(
                offers("chief", id, "district-accept"), "the district's, not the subdistrict's");

        // the subdistrict's chief commander may not act for the district
        String before = fingerprint(id);
        assertProblem(
                act(
                        "chief",
                        id,
                        "{\"action\":\"district-accept\",\"expectedVersion\":2,\"note\":\"x\"}"),
                403,
                "action-not-allowed");
        // assigning comes after accepting
        assertProblem(
                act(
                        "doperator",
                        id,
                        "{\"action\":\"district-assign\",\"expectedVersion\":2,\"department\":\""
                                + DEPARTMENT
                                + "\"}"),
                409,
                "district-not-accepted");
        assertEquals(before, fingerprint(id));

        // accepted, once (the Idempotency-Key rules of every action)
        Answer acc =
                TestServer.post(
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"district-accept\",\"expectedVersion\":2,\"note\":\"区里接手\"}",
                        "Authorization",
                        "Bearer " + TestServer.token("doperator"),
                        "Idempotency-Key",
                        "dcc-accept-" + id);
        assertEquals(200, acc.status(), acc.body());
        assertEquals("ESCALATED", acc.json().get("status").asText());
        Answer again =
                TestServer.post(
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"district-accept\",\"expectedVersion\":2,\"note\":\"区里接手\"}",
                        "Authorization",
                        "Bearer " + TestServer.token("doperator"),
                        "Idempotency-Key",
                        "dcc-accept-" + id);
        assertProblem(again, 409, "action-already-applied");
        assertProblem(
                act("dcommander", id, "{\"action\":\"district-accept\",\"expectedVersion\":3}"),
                409,
                "district-accepted-already");
        assertEquals("ACCEPTED", queueItem("dcommander", id).get("stage").asText());
        assertFalse(offers("doperator", id, "district-accept"));
        assertTrue(offers("doperator", id, "district-assign"));

        // an unknown department changes nothing
        before = fingerprint(id);
        assertProblem(
                act(
                        "dcommander",
                        id,
                        "{\"action\":\"district-assign\",\"expectedVersion\":3,\"department\":\"NO_SUCH\"}"),
                422,
                "invalid-field");
        assertEquals(before, fingerprint(id));

        JsonNode assigned =
                ok(
                        "dcommander",
                        id,
                        "{\"action\":\"district-assign\",\"expectedVersion\":3,\"department\":\""
                                + DEPARTMENT
                                + "\"}");
        assertEquals("ESCALATED", assigned.get("status").asText());
        JsonNode ev = lastEvent(id);
        assertEquals("DISTRICT_ASSIGN", ev.get("type").asText());
        assertEquals(DEPARTMENT, ev.at("/data/department").asText());
        assertEquals(handlerId, ev.at("/data/assigneeId").asLong());
        item = queueItem("doperator", id);
        assertEquals("ASSIGNED", item.get("stage").asText());
        assertEquals(DEPARTMENT, item.get("department").asText());
        assertEquals(handlerId, item.get("assigneeId").asLong());
        assertEquals(ev.at("/data/stepDueAt").asText(), item.get("deadline").asText());

        // the department's handler resolves it; the subdistrict verifies and closes
        assertTrue(offers(handler, id, "district-resolve"), allowed(handler, id).toString());
        JsonNode resolved =
                ok(
                        handler,
                        id,
                        "{\"action\":\"district-resolve\",\"expectedVersion\":4,\"note\":\"已查处排污企业\"}");
        assertEquals("RESOLVED", resolved.get("status").asText());
        assertNull(queueItem("doperator", id), "out of the district's queue");
        assertTrue(lastEvent(id).at("/data/completed/onTime").asBoolean());
        ok("operator", id, "{\"action\":\"verify\",\"expectedVersion\":5}");
        JsonNode closed = ok("operator", id, "{\"action\":\"close\",\"expectedVersion\":6}");
        assertEquals("CLOSED", closed.get("status").asText());
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT district_stage, district_department FROM incident WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertNull(rs.getString(1));
                assertNull(rs.getString(2));
            }
        }
    }

    @Test
    void aReturnNeedsAReasonAndGoesBackToTheSubdistrict() throws Exception {
        long id = report(DISTRICT_CAT).get("id").asLong();
        String before = fingerprint(id);
        assertProblem(
                act("doperator", id, "{\"action\":\"district-return\",\"expectedVersion\":2}"),
                422,
                "invalid-field");
        assertProblem(
                act(
                        "doperator",
                        id,
                        "{\"action\":\"district-return\",\"expectedVersion\":2,\"reason\":\"  \"}"),
                422,
                "invalid-field");
        assertEquals(before, fingerprint(id));

        JsonNode back =
                ok(
                        "doperator",
                        id,
                        "{\"action\":\"district-return\",\"expectedVersion\":2,\"reason\":\"属街道职责范围\"}");
        assertEquals("ACCEPTED", back.get("status").asText());
        JsonNode ev = lastEvent(id);
        assertEquals("DISTRICT_RETURN", ev.get("type").asText());
        assertEquals("属街道职责范围", ev.at("/data/reason").asText());
        assertEquals("DISPATCH", ev.at("/data/step").asText());
        assertNull(queueItem("doperator", id));
        // the subdistrict's command centre dispatches it, or escalates it again
        assertTrue(offers("operator", id, "dispatch"));
        assertTrue(offers("director", id, "escalate"));
        ok("director", id, "{\"action\":\"escalate\",\"expectedVersion\":3,\"note\":\"确需区级执法\"}");
        JsonNode item = queueItem("dcommander", id);
        assertEquals("确需区级执法", item.get("reason").asText());
        assertEquals("CENTRE_DIRECTOR", item.get("escalatedBy").asText());
    }

    @Test
    void aSubdistrictMatterIsNotEscalated() throws Exception {
        long id = report(SUBDISTRICT_CAT).get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        assertFalse(offers("operator", id, "escalate"), "not offered either");
        String before = fingerprint(id);
        Answer a =
                act(
                        "director",
                        id,
                        "{\"action\":\"escalate\",\"expectedVersion\":2,\"note\":\"上报\"}");
        assertProblem(a, 422, "not-district-authority");
        assertTrue(a.json().get("detail").asText().contains(SUBDISTRICT_CAT), a.body());
        assertEquals(before, fingerprint(id));
        assertNull(queueItem("doperator", id));
    }

    @Test
    void aLiaisonsReplyEndsTheDistrictsStage() {
        long id = report(DISTRICT_CAT).get("id").asLong();
        ok("doperator", id, "{\"action\":\"district-accept\",\"expectedVersion\":2}");
        ok(
                "liaison",
                id,
                "{\"action\":\"district-reply\",\"expectedVersion\":3,\"outcome\":\"RETURNED\"}");
        ok("director", id, "{\"action\":\"escalate\",\"expectedVersion\":4,\"note\":\"再次上报\"}");
        assertEquals("WAITING", queueItem("doperator", id).get("stage").asText());
    }

    @Test
    void theBoardAndTheKpisCompareSubdistricts() throws Exception {
        long id = report(DISTRICT_CAT).get("id").asLong();
        assertEquals(403, TestServer.getAs("chief", "/api/v1/district/board").status());
        assertEquals(403, TestServer.getAs("chief", "/api/v1/district/queue").status());
        assertEquals(400, TestServer.getAs("doperator", "/api/v1/district/queue?limit=0").status());
        assertEquals(
                400, TestServer.getAs("doperator", "/api/v1/district/board?period=soon").status());

        Answer b = TestServer.getAs("dcommander", "/api/v1/district/board");
        assertEquals(200, b.status(), b.body());
        JsonNode rows = b.json().get("subdistricts");
        assertTrue(rows.size() >= 1, b.body());
        JsonNode mine = null;
        String code = subdistrictCode(id);
        for (JsonNode row : rows) if (code.equals(row.path("code").asText())) mine = row;
        assertNotNull(mine, "the case's subdistrict on the board: " + b.body());
        assertTrue(mine.get("escalated").asLong() >= 1, mine.toString());
        assertTrue(mine.get("open").asLong() >= mine.get("escalated").asLong(), mine.toString());
        assertTrue(mine.get("open").asLong() >= mine.get("overdue").asLong(), mine.toString());
        assertTrue(mine.get("closed").asLong() >= mine.get("closedOnTime").asLong());
        if (!mine.get("onTimeRate").isNull()) {
            double rate = mine.get("onTimeRate").asDouble();
            assertTrue(rate >= 0 && rate <= 1, mine.toString());
        }

        String year = Year.now(ZoneId.of("Asia/Shanghai")).toString();
        Answer k =
                TestServer.getAs(
                        "doperator", "/api/v1/analytics/kpis?by=subdistrict&period=" + year);
        assertEquals(200, k.status(), k.body());
        assertEquals("subdistrict", k.json().get("by").asText());
        JsonNode unit = null;
        for (JsonNode u : k.json().get("units")) if (code.equals(u.get("unit").asText())) unit = u;
        assertNotNull(unit, k.body());
        assertTrue(unit.get("reports").asLong() >= 1, unit.toString());
        assertTrue(unit.get("escalations").asLong() >= 1, unit.toString());
        assertTrue(unit.at("/score/max").asDouble() > 0, unit.toString());
        // a subdistrict's chief sees their own row only
        Answer own =
                TestServer.getAs("chief", "/api/v1/analytics/kpis?by=subdistrict&period=" + year);
        assertEquals(200, own.status(), own.body());
        for (JsonNode u : own.json().get("units"))
            assertEquals(code, u.get("unit").asText(), own.body());
    }

    @Test
    void twoSubdistrictsSideBySide() throws Exception {
        long sd2 = SecondSubdistrict.install().subdistrictId();
        Answer b = TestServer.getAs("doperator", "/api/v1/district/board");
        assertEquals(200, b.status(), b.body());
        JsonNode second = null, first = null;
        for (JsonNode row : b.json().get("subdistricts")) {
            if (SecondSubdistrict.CODE.equals(row.path("code").asText())) second = row;
            if (SecondSubdistrict.FIRST_CODE.equals(row.path("code").asText())) first = row;
        }
        assertNotNull(first, b.body());
        assertNotNull(second, b.body());
        // the fixture's cases (and those other tests of this run routed there), as the table has
        // them
        assertEquals(
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE subdistrict_id = "
                                + sd2
                                + " AND status NOT IN ('CLOSED', 'REJECTED')"),
                second.get("open").asLong(),
                second.toString());
        assertEquals(
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE subdistrict_id = "
                                + sd2
                                + " AND status = 'ESCALATED'"),
                second.get("escalated").asLong(),
                second.toString());
        // the first subdistrict's count as the table has it too (not "more than the second": how
        // many of the demo's cases are still open depends on its anchor, and the other classes
        // route cases into the second)
        assertEquals(
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident i JOIN jurisdiction j ON j.id ="
                                + " i.subdistrict_id WHERE j.code = '"
                                + SecondSubdistrict.FIRST_CODE
                                + "' AND i.status NOT IN ('CLOSED', 'REJECTED')"),
                first.get("open").asLong(),
                first.toString());
        assertTrue(first.get("open").asLong() > 0, b.body());

        String year = Year.now(ZoneId.of("Asia/Shanghai")).toString();
        Answer k =
                TestServer.getAs(
                        "dcommander", "/api/v1/analytics/kpis?by=subdistrict&period=" + year);
        assertEquals(200, k.status(), k.body());
        JsonNode unit = null;
        int codes = 0;
        for (JsonNode u : k.json().get("units")) {
            if (u.get("unit").asText().startsWith("330108")) codes++;
            if (SecondSubdistrict.CODE.equals(u.get("unit").asText())) unit = u;
        }
        assertTrue(codes >= 2, "both subdistricts compared: " + k.body());
        assertNotNull(unit, k.body());
        assertTrue(unit.get("reports").asLong() >= SecondSubdistrict.INCIDENTS, unit.toString());
        assertTrue(unit.at("/score/max").asDouble() > 0, unit.toString());
        // the second subdistrict's chief sees its own row only, and not the district's queue
        Answer own =
                TestServer.getAs(
                        SecondSubdistrict.CHIEF,
                        "/api/v1/analytics/kpis?by=subdistrict&period=" + year);
        assertEquals(200, own.status(), own.body());
        assertEquals(1, own.json().get("units").size(), own.body());
        assertEquals(SecondSubdistrict.CODE, own.json().at("/units/0/unit").asText());
        assertEquals(
                403, TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/district/queue").status());
    }

    private static String subdistrictCode(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT j.code FROM incident i JOIN jurisdiction j"
                                        + " ON j.id = i.subdistrict_id WHERE i.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the case belongs to a subdistrict");
                return rs.getString(1);
            }
        }
    }
}
