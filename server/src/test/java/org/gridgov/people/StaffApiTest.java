package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Staff accounts over the API: create with a one-time password, change, disable, reset, the admin
 * log, and bad input that changes nothing.
 */
@Tag("db")
class StaffApiTest {

    @BeforeAll
    static void setUp() {
        TestServer.get();
    }

    private static String unique(String prefix) {
        return prefix + "." + Long.toString(System.nanoTime(), 36);
    }

    private static Answer patch(String who, long id, String body) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/staff/" + id))
                        .header("Authorization", "Bearer " + TestServer.token(who))
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    private static Answer login(String username, String password) {
        return TestServer.post(
                "/api/v1/auth/token",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    private static Answer withToken(String token, String path) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
    }

    private static JsonNode create(String username) {
        Answer a =
                TestServer.postAs(
                        "admin",
                        "/api/v1/staff",
                        "{\"username\":\""
                                + username
                                + "\",\"name\":\"New Worker\",\"phone\":\"13800000000\","
                                + "\"roles\":[\"CENTRE_OPERATOR\"],\"scope\":{\"type\":\"SUBDISTRICT\"},"
                                + "\"employment\":\"PART_TIME\"}");
        assertEquals(201, a.status(), a.body());
        return a.json();
    }

    /** Logs in with the one-time password, sets "Own-Pass-2026!x", returns a token. */
    private static String firstLogin(String username, String oneTime) {
        Answer first = login(username, oneTime);
        assertEquals(403, first.status(), first.body());
        assertTrue(first.body().contains("password-change-required"), first.body());
        String mine = "Own-Pass-2026!x" + username.length();
        Answer change =
                TestServer.post(
                        "/api/v1/auth/password",
                        "{\"username\":\""
                                + username
                                + "\",\"password\":\""
                                + oneTime
                                + "\",\"newPassword\":\""
                                + mine
                                + "\"}");
        assertEquals(204, change.status(), change.body());
        Answer ok = login(username, mine);
        assertEquals(200, ok.status(), ok.body());
        return ok.json().get("token").asText();
    }

    @Test
    void createdAccountMustChangeItsOneTimePasswordThenLogsIn() {
        String username = unique("ops");
        JsonNode s = create(username);
        assertEquals(username, s.get("username").asText());
        assertEquals("CENTRE_OPERATOR", s.at("/roles/0").asText());
        assertEquals("PART_TIME", s.get("employment").asText());
        assertTrue(s.get("active").asBoolean());
        assertTrue(s.get("passwordMustChange").asBoolean());
        String token = firstLogin(username, s.get("oneTimePassword").asText());
        assertEquals(200, withToken(token, "/api/v1/incidents?limit=1").status());

        Answer got = TestServer.getAs("admin", "/api/v1/staff/" + s.get("id").asLong());
        assertEquals(200, got.status(), got.body());
        assertEquals("13800000000", got.json().get("phone").asText());
        assertFalse(got.json().get("passwordMustChange").asBoolean());
        assertFalse(got.json().has("oneTimePassword"));
    }

    @Test
    void disablingStopsTokensAtOnceAndRefusesLogin() {
        String username = unique("off");
        JsonNode s = create(username);
        long id = s.get("id").asLong();
        String token = firstLogin(username, s.get("oneTimePassword").asText());
        assertEquals(200, withToken(token, "/api/v1/incidents?limit=1").status());

        Answer off = patch("admin", id, "{\"active\":false,\"employment\":\"FULL_TIME\"}");
        assertEquals(200, off.status(), off.body());
        assertFalse(off.json().get("active").asBoolean());
        assertEquals(401, withToken(token, "/api/v1/incidents?limit=1").status());
        assertEquals(401, login(username, "Own-Pass-2026!x" + username.length()).status());

        // the admin log has who and what changed, before and after
        Answer log = TestServer.getAs("auditor", "/api/v1/audit?kind=staff&limit=50");
        assertEquals(200, log.status(), log.body());
        JsonNode change = null;
        for (JsonNode e : log.json().get("entries"))
            if (e.get("target").asText().equals("staff/" + id)
                    && e.at("/change/active").isObject()) {
                change = e;
                break;
            }
        assertNotNull(change, log.body());
        long adminId =
                TestServer.getAs("admin", "/api/v1/staff?role=ADMIN")
                        .json()
                        .at("/staff/0/id")
                        .asLong();
        assertEquals(adminId, change.get("actorStaffId").asLong());
        assertTrue(change.at("/change/active/before").asBoolean());
        assertFalse(change.at("/change/active/after").asBoolean());
        assertEquals("FULL_TIME", change.at("/change/employment/after").asText());
        assertFalse(change.get("change").has("name"), "unchanged fields are not logged");
        assertFalse(log.body().contains("$2a$"), "no password hash in the log");
    }

    @Test
    void theStaffListSaysWhichAccountsAreDisabled() {
        JsonNode s = create(unique("listed"));
        long id = s.get("id").asLong();
        assertEquals(true, listed(id).get("active").asBoolean());
        assertEquals(200, patch("admin", id, "{\"active\":false}").status());
        JsonNode row = listed(id);
        assertFalse(row.get("active").asBoolean(), "a disabled account is still listed");
        assertFalse(row.has("phone"), "the list has no phones");
    }

    private static JsonNode listed(long id) {
        Answer list =
                TestServer.getAs("admin", "/api/v1/staff?role=CENTRE_OPERATOR&after=" + (id - 1));
        assertEquals(200, list.status(), list.body());
        JsonNode row = list.json().at("/staff/0");
        assertEquals(id, row.get("id").asLong(), list.body());
        return row;
    }

    @Test
    void theApiDescriptionNamesEveryRole() {
        // the web map's admin screen offers the roles openapi.yaml lists (StaffFields.roles)
        JsonNode roles =
                TestServer.get("/openapi.json")
                        .json()
                        .at("/components/schemas/StaffFields/properties/roles/items/enum");
        List<String> documented = new ArrayList<>();
        roles.forEach(r -> documented.add(r.asText()));
        assertEquals(Arrays.stream(Role.values()).map(Role::name).toList(), documented);
    }

    @Test
    void passwordResetGivesANewOneTimePasswordAndStopsOldTokens() {
        String username = unique("reset");
        JsonNode s = create(username);
        long id = s.get("id").asLong();
        String token = firstLogin(username, s.get("oneTimePassword").asText());

        // a body with fields, or one that is no object, changes nothing
        String path = "/api/v1/staff/" + id + "/password-reset";
        assertEquals(422, TestServer.postAs("admin", path, "{\"password\":\"mine\"}").status());
        assertTrue(TestServer.postAs("admin", path, "[]").status() >= 400);
        assertEquals(200, withToken(token, "/api/v1/incidents?limit=1").status(), "unchanged");
        Answer reset = TestServer.postAs("admin", path, "{}");
        assertEquals(200, reset.status(), reset.body());
        String again = reset.json().get("oneTimePassword").asText();
        assertNotEquals(s.get("oneTimePassword").asText(), again);
        assertEquals(401, withToken(token, "/api/v1/incidents?limit=1").status());
        assertEquals(401, login(username, "Own-Pass-2026!x" + username.length()).status());
        assertEquals(403, login(username, again).status(), "must change again");

        Answer log = TestServer.getAs("admin", "/api/v1/audit?kind=staff&limit=1");
        assertEquals(200, log.status(), log.body());
        assertEquals("staff/" + id, log.json().at("/entries/0/target").asText());
        assertTrue(log.json().at("/entries/0/change/passwordReset").asBoolean());
        assertTrue(log.json().has("nextCursor"));
        Answer next =
                TestServer.getAs(
                        "admin",
                        "/api/v1/audit?kind=staff&limit=1&cursor="
                                + log.json().get("nextCursor").asText());
        assertEquals(200, next.status(), next.body());
        assertTrue(
                next.json().at("/entries/0/id").asLong() < log.json().at("/entries/0/id").asLong(),
                "newest first");
    }

    @Test
    void onlyAdminsManageStaffAndOnlyAdminsAndAuditorsReadTheLog() {
        assertEquals(
                403,
                TestServer.postAs("operator", "/api/v1/staff", "{\"username\":\"x.y\"}").status());
        assertEquals(403, TestServer.getAs("operator", "/api/v1/staff/1").status());
        assertEquals(403, TestServer.getAs("auditor", "/api/v1/staff/1").status());
        assertEquals(403, patch("operator", 1, "{\"active\":false}").status());
        assertEquals(
                403, TestServer.postAs("operator", "/api/v1/staff/1/password-reset", "").status());
        assertEquals(403, TestServer.getAs("operator", "/api/v1/audit?kind=staff").status());
        assertEquals(200, TestServer.getAs("auditor", "/api/v1/audit?kind=staff").status());
        assertEquals(401, TestServer.get("/api/v1/audit?kind=staff").status());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        long before = logSize();
        String base = "{\"username\":\"%s\",\"roles\":%s,\"scope\":%s}";
        String u = unique("bad");
        for (String[] c :
                new String[][] {
                    {"[\"EMPEROR\"]", "{\"type\":\"SUBDISTRICT\"}", "/roles"},
                    {"[]", "{\"type\":\"SUBDISTRICT\"}", "/roles"},
                    {"[\"PLANNER\"]", "{\"type\":\"GRID\",\"gridId\":999999999}", "/scope"},
                    {
                        "[\"PLANNER\"]",
                        "{\"type\":\"COMMUNITY\",\"communityId\":999999999}",
                        "/scope"
                    },
                    {"[\"PLANNER\"]", "{\"type\":\"PLATFORM\",\"platform\":\"NOPE\"}", "/scope"},
                    {"[\"PLANNER\"]", "{\"type\":\"GALAXY\"}", "/scope/type"},
                    {"[\"PLANNER\"]", "{\"type\":\"GRID\"}", "/scope/gridId"},
                }) {
            Answer a =
                    TestServer.postAs("admin", "/api/v1/staff", String.format(base, u, c[0], c[1]));
            assertTrue(a.status() == 400 || a.status() == 422, a.status() + " " + a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"), a.body());
            assertEquals(c[2], a.json().get("field").asText(), a.body());
        }
        assertEquals(
                422,
                TestServer.postAs(
                                "admin",
                                "/api/v1/staff",
                                "{\"username\":\""
                                        + u
                                        + "\",\"roles\":[\"PLANNER\"],"
                                        + "\"employment\":\"SOMETIMES\"}")
                        .status());
        assertEquals(404, TestServer.getAs("admin", "/api/v1/staff/" + u.hashCode()).status());
        // nothing was created
        assertEquals(401, login(u, "x").status());

        // duplicate username: 409
        Answer dup =
                TestServer.postAs(
                        "admin",
                        "/api/v1/staff",
                        "{\"username\":\"operator\",\"roles\":[\"PLANNER\"]}");
        assertEquals(409, dup.status(), dup.body());
        assertEquals(before, logSize(), "refused input writes no log entry");

        // unknown id: 404 for GET, PATCH and reset
        assertEquals(404, TestServer.getAs("admin", "/api/v1/staff/987654321").status());
        assertEquals(404, patch("admin", 987654321, "{\"name\":\"x\"}").status());
        assertEquals(
                404,
                TestServer.postAs("admin", "/api/v1/staff/987654321/password-reset", "").status());

        // a PATCH with a bad field changes nothing
        String username = unique("keep");
        long id = create(username).get("id").asLong();
        long after = logSize();
        assertEquals(
                422, patch("admin", id, "{\"name\":\"Renamed\",\"roles\":[\"KING\"]}").status());
        assertEquals(422, patch("admin", id, "{\"password\":\"x\"}").status());
        assertEquals(
                422,
                patch("admin", id, "{\"scope\":{\"type\":\"GRID\",\"gridId\":999999999}}")
                        .status());
        assertEquals(
                "New Worker",
                TestServer.getAs("admin", "/api/v1/staff/" + id).json().get("name").asText());
        assertEquals(after, logSize());
        assertEquals(
                400, TestServer.getAs("admin", "/api/v1/audit?kind=staff&cursor=abc").status());
    }

    private static long logSize() {
        Answer a = TestServer.getAs("admin", "/api/v1/audit?kind=staff&limit=1");
        assertEquals(200, a.status(), a.body());
        return a.json().get("numberReturned").asLong() == 0
                ? 0
                : a.json().at("/entries/0/id").asLong();
    }
}
