package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Personal data, role by role and endpoint by endpoint (docs/personal-data.md): a reporter's name
 * and phone appear as given exactly where people/AccessRules.REPORTER says, masked (赵**,
 * 139****6789) everywhere else a case is shown, never in events, Open311 or OGC, and every answer
 * that carried them as given left one row in the pii log — and no other answer did.
 */
@Tag("db")
class PersonalDataMatrixTest {

    static final String NAME = "赵先生", PHONE = "13912346789";
    static final String MASKED_NAME = "赵**", MASKED_PHONE = "139****6789";

    private static final Map<Role, String> USERS = new EnumMap<>(Role.class);
    private static final Map<Role, Long> IDS = new EnumMap<>(Role.class);
    private static long id, assignee;
    private static double lon, lat;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        // from the table: a subdistrict's director lists its own subdistrict's staff only, and
        // the district roles belong to none (the isolation rule, docs/access.md)
        for (Role r : Role.values()) {
            TestServer.Account a = TestServer.firstAccount(r);
            USERS.put(r, a.username());
            IDS.put(r, a.id());
        }
        // the case lies in the grid of a full-time grid worker, who is then its assignee
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT ST_X(pt), ST_Y(pt), s.id, s.username
                     FROM staff s JOIN grid g ON g.id = s.grid_id
                          JOIN grid_plan gp ON gp.id = g.plan_id AND gp.status = 'ACTIVE',
                          LATERAL ST_PointOnSurface(g.geom) pt
                     WHERE s.role = 'GRID_WORKER' AND s.employment = 'FULL_TIME'
                     ORDER BY s.id LIMIT 1 OFFSET 3""")) {
            assertTrue(rs.next());
            lon = rs.getDouble(1);
            lat = rs.getDouble(2);
            USERS.put(Role.GRID_WORKER, rs.getString(4));
            IDS.put(Role.GRID_WORKER, rs.getLong(3));
        }
        // a member of the public reports it, online, in a category the public may see listed
        Answer a =
                TestServer.post(
                        "/api/v1/incidents",
                        """
                {"category": "ENF_STREET_VENDING", "channel": "PUBLIC_ONLINE",
                 "location": {"lon": %s, "lat": %s}, "description": "占道经营",
                 "reporter": {"name": "%s", "phone": "%s"}}"""
                                .formatted(lon, lat, NAME, PHONE));
        assertEquals(201, a.status(), a.body());
        id = a.json().get("id").asLong();
        // the reporter's own answer shows what they sent, unmasked, and logs nothing
        assertEquals(NAME, a.json().at("/reporter/name").asText());
        assertEquals(PHONE, a.json().at("/reporter/phone").asText());
        assertFalse(a.json().at("/reporter/masked").asBoolean());
        assertEquals(0, reads());
        assignee = a.json().at("/routing/assigneeId").asLong();
        assertEquals(
                IDS.get(Role.GRID_WORKER).longValue(),
                assignee,
                "the grid's worker is the assignee");
    }

    /** The principal of a role's demo account, as the token carries it (only roles count here). */
    private static boolean asGiven(Role r) {
        return AccessRules.seesReporter(
                new Principal(IDS.get(r), USERS.get(r), EnumSet.of(r), Scope.SUBDISTRICT),
                assignee);
    }

    @Test
    void oneCaseIsAsGivenExactlyWhereTheRuleSaysAndEachSuchReadIsLogged() throws Exception {
        List<String> wrong = new ArrayList<>();
        int unmasked = 0;
        for (Role r : Role.values()) {
            long before = reads();
            Answer a = TestServer.getAs(USERS.get(r), "/api/v1/incidents/" + id);
            boolean full = asGiven(r);
            if (a.status() == 403) {
                if (full) wrong.add(r + ": refused, but the rule shows it to them");
                check(wrong, r, "refused", a.body(), false);
            } else if (a.status() == 200) {
                JsonNode rep = a.json().get("reporter");
                if (full) {
                    unmasked++;
                    if (!NAME.equals(rep.path("name").asText())
                            || !PHONE.equals(rep.path("phone").asText())
                            || rep.path("masked").asBoolean(true))
                        wrong.add(r + ": should see the reporter as given: " + rep);
                } else {
                    if (!MASKED_NAME.equals(rep.path("name").asText())
                            || !MASKED_PHONE.equals(rep.path("phone").asText())
                            || !rep.path("masked").asBoolean(false))
                        wrong.add(r + ": should see the reporter masked: " + rep);
                    check(wrong, r, "GET one", a.body(), true);
                }
            } else {
                wrong.add(r + ": " + a.status() + " " + a.body());
            }
            long logged = reads() - before;
            if (logged != (full && a.status() == 200 ? 1 : 0))
                wrong.add(r + ": " + logged + " pii log rows for one read (full: " + full + ")");
        }
        assertEquals(List.of(), wrong);
        assertTrue(unmasked >= 4, "the command centre and the assignee: " + unmasked);
        // the log says who, which case, which endpoint and role
        JsonNode last = lastEntries(1).get(0);
        assertEquals("pii", last.get("kind").asText());
        assertEquals("incident/" + id, last.get("target").asText());
        assertEquals("GET /api/v1/incidents/{id}", last.at("/change/endpoint").asText());
        assertFalse(last.get("at").asText().isEmpty());
        assertTrue(last.get("actorStaffId").asLong() > 0);
    }

    @Test
    void listsEventsOpen311AndOgcNeverCarryThemAsGivenAndLogNothing() throws Exception {
        String box =
                (lon - 0.0001) + "," + (lat - 0.0001) + "," + (lon + 0.0001) + "," + (lat + 0.0001);
        long before = reads();
        List<String> wrong = new ArrayList<>();
        for (Role r : Role.values()) {
            String u = USERS.get(r);
            Answer list = TestServer.getAs(u, "/api/v1/incidents?limit=1000&bbox=" + box);
            assertEquals(200, list.status(), r + " " + list.body());
            for (JsonNode f : list.json().get("features")) {
                if (f.get("id").asLong() != id) continue;
                JsonNode rep = f.at("/properties/reporter");
                if (!MASKED_NAME.equals(rep.path("name").asText())
                        || !MASKED_PHONE.equals(rep.path("phone").asText()))
                    wrong.add(r + ": a list shows the reporter unmasked: " + rep);
            }
            check(wrong, r, "list", list.body(), true);
            check(
                    wrong,
                    r,
                    "events",
                    TestServer.getAs(u, "/api/v1/incidents/" + id + "/events").body(),
                    false);
            check(
                    wrong,
                    r,
                    "OGC API Features item",
                    TestServer.getAs(u, "/ogc/collections/incidents/items/" + id).body(),
                    false);
            check(
                    wrong,
                    r,
                    "WFS",
                    TestServer.getAs(
                                    u,
                                    "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature"
                                            + "&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::"
                                            + "GetFeatureById&OUTPUTFORMAT=json&ID=incidents."
                                            + id)
                            .body(),
                    false);
        }
        // not vacuous: the layer does answer with the case to a role that may see it
        Answer item = TestServer.getAs("operator", "/ogc/collections/incidents/items/" + id);
        assertEquals(200, item.status(), item.body());
        assertTrue(item.body().contains("ENF_STREET_VENDING"), item.body());
        Answer wfs =
                TestServer.getAs(
                        "operator",
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID="
                                + "urn:ogc:def:query:OGC-WFS::GetFeatureById&OUTPUTFORMAT=json"
                                + "&ID=incidents."
                                + id);
        assertTrue(wfs.body().contains("ENF_STREET_VENDING"), wfs.body());
        // the public: Open311 lists the case (a public category, reported online) without them
        Answer one = TestServer.get("/open311/v2/requests/" + id + ".json");
        assertEquals(200, one.status(), one.body());
        check(wrong, null, "Open311 JSON", one.body(), false);
        check(
                wrong,
                null,
                "Open311 XML",
                TestServer.get("/open311/v2/requests/" + id + ".xml").body(),
                false);
        assertEquals(List.of(), wrong);
        assertEquals(before, reads(), "nothing masked or absent is logged");
    }

    @Test
    void anActionsAnswerFollowsTheRuleAndIsLoggedAsSuch() throws Exception {
        long before = reads();
        Answer a =
                TestServer.postAs(
                        "operator2",
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"comment\",\"expectedVersion\":"
                                + TestServer.getAs("auditor", "/api/v1/incidents/" + id)
                                        .json()
                                        .get("version")
                                        .asInt()
                                + ",\"note\":\"已电话联系\"}");
        assertEquals(200, a.status(), a.body());
        assertEquals(PHONE, a.json().at("/reporter/phone").asText());
        assertEquals(before + 1, reads());
        JsonNode e = lastEntries(1).get(0);
        assertEquals("POST /api/v1/incidents/{id}/actions", e.at("/change/endpoint").asText());
        assertEquals("CENTRE_OPERATOR", e.at("/change/role").asText());
    }

    @Test
    void theLogIsForAuditorsAndAdminsAppendOnlyAndPaged() throws Exception {
        TestServer.getAs("operator", "/api/v1/incidents/" + id);
        TestServer.getAs("director", "/api/v1/incidents/" + id);
        assertEquals(200, TestServer.getAs("admin", "/api/v1/audit?kind=pii").status());
        assertEquals(403, TestServer.getAs("operator", "/api/v1/audit?kind=pii").status());
        Answer bad = TestServer.getAs("auditor", "/api/v1/audit?kind=reporters");
        assertEquals(400, bad.status());
        assertTrue(bad.contentType().startsWith("application/problem+json"), bad.contentType());
        assertTrue(bad.body().contains("pii"), bad.body());
        JsonNode page = TestServer.getAs("auditor", "/api/v1/audit?kind=pii&limit=1").json();
        assertEquals(1, page.get("numberReturned").asInt());
        JsonNode next =
                TestServer.getAs(
                                "auditor",
                                "/api/v1/audit?kind=pii&limit=1&cursor="
                                        + page.get("nextCursor").asText())
                        .json();
        assertTrue(
                next.at("/entries/0/id").asLong() < page.at("/entries/0/id").asLong(),
                "newest first, the next page older");
        // not even the schema owner may change or remove an entry
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            assertThrows(
                    SQLException.class,
                    () -> st.executeUpdate("UPDATE reporter_read SET endpoint = 'x'"));
            assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM reporter_read"));
            assertThrows(SQLException.class, () -> st.executeUpdate("TRUNCATE reporter_read"));
        }
    }

    /** Neither the name nor the phone as given; with {@code masked}, their masked forms present. */
    private static void check(
            List<String> wrong, Role r, String where, String body, boolean masked) {
        if (body.contains(PHONE) || body.contains(NAME))
            wrong.add(r + ": " + where + " carries the reporter as given");
        if (!masked && (body.contains(MASKED_PHONE) || body.contains(MASKED_NAME)))
            wrong.add(r + ": " + where + " carries the reporter at all");
    }

    private static long reads() throws Exception {
        return TestDatabase.queryLong(
                "SELECT count(*) FROM reporter_read WHERE incident_id = " + id);
    }

    private static JsonNode lastEntries(int n) {
        Answer a = TestServer.getAs("auditor", "/api/v1/audit?kind=pii&limit=" + n);
        assertEquals(200, a.status(), a.body());
        return a.json().get("entries");
    }
}
