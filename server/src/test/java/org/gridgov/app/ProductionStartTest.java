package org.gridgov.app;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue #16, production start: `admin create-user` makes an account with a one-time password, whose
 * first login must set a password of its own (POST /api/v1/auth/password, held to the password
 * rules); GRIDGOV_DEMO=off refuses the demo loader.
 */
@Tag("db")
class ProductionStartTest {

    static final String PREFIX = "prodstart.";

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void start() {
        TestServer.get();
    }

    @AfterAll
    static void removeAccounts() throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps = c.prepareStatement("DELETE FROM staff WHERE username LIKE ?")) {
            ps.setString(1, PREFIX + "%");
            ps.executeUpdate();
        }
    }

    static Run admin(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.admin(
                        Config.of(TestDatabase.serverConfig()),
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String oneTimePassword(Run r) {
        Matcher m = Pattern.compile("one-time password: (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        return m.group(1);
    }

    static Answer login(String username, String password) {
        return TestServer.post(
                "/api/v1/auth/token",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    static Answer change(String username, String password, String newPassword, String token) {
        String body =
                "{"
                        + (username == null ? "" : "\"username\":\"" + username + "\",")
                        + "\"password\":\""
                        + password
                        + "\",\"newPassword\":\""
                        + newPassword
                        + "\"}";
        return token == null
                ? TestServer.post("/api/v1/auth/password", body)
                : TestServer.post(
                        "/api/v1/auth/password", body, "Authorization", "Bearer " + token);
    }

    static Map<String, Object> row(String username) throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps =
                        c.prepareStatement(
                                "SELECT role, scope_type, name, password_must_change, auth_version,"
                                        + " password_hash FROM staff WHERE username = ?")) {
            ps.setString(1, username);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), username);
                return Map.of(
                        "role", rs.getString(1),
                        "scope", rs.getString(2),
                        "name", rs.getString(3),
                        "mustChange", rs.getBoolean(4),
                        "version", rs.getInt(5),
                        "hash", rs.getString(6));
            }
        }
    }

    @Test
    void aCreatedAdminSetsANewPasswordAtFirstLoginThenLogsIn() throws Exception {
        String user = PREFIX + "admin";
        Run created =
                admin("create-user", "--username", user, "--role", "ADMIN", "--name", "Li Wei");
        assertEquals(0, created.code(), created.err());
        String oneTime = oneTimePassword(created);
        assertEquals(16, oneTime.length());
        Map<String, Object> before = row(user);
        assertEquals("ADMIN", before.get("role"));
        assertEquals("SUBDISTRICT", before.get("scope"));
        assertEquals("Li Wei", before.get("name"));
        assertEquals(true, before.get("mustChange"));
        assertTrue(((String) before.get("hash")).startsWith("$2"), "a BCrypt hash, not the text");

        Answer first = login(user, oneTime);
        assertEquals(403, first.status(), first.body());
        assertEquals(
                "https://gridgov.org/problems/password-change-required",
                first.json().get("type").asText());
        assertNull(first.json().get("token"), "no token for a one-time password");

        Answer weak = change(user, oneTime, "short", null);
        assertEquals(422, weak.status(), weak.body());
        assertEquals(
                "https://gridgov.org/problems/weak-password", weak.json().get("type").asText());
        assertTrue(weak.json().get("detail").asText().contains("min-length"), weak.body());
        assertEquals("/newPassword", weak.json().get("field").asText());
        Answer common = change(user, oneTime, "Sunshine2026!!", null);
        assertEquals(422, common.status(), common.body());
        assertTrue(common.json().get("detail").asText().contains("common-password"), common.body());
        Answer named = change(user, oneTime, "i-am-" + user.toUpperCase() + "-here", null);
        assertEquals(422, named.status(), named.body());
        assertTrue(named.json().get("detail").asText().contains("contains-username"), named.body());
        Answer wrongCurrent = change(user, "not-the-password", "violet-harbour-lantern-42", null);
        assertEquals(401, wrongCurrent.status(), wrongCurrent.body());
        assertEquals(before.get("hash"), row(user).get("hash"), "refusals change nothing");
        assertEquals(403, login(user, oneTime).status(), "still a one-time password");

        Answer ok = change(user, oneTime, "violet-harbour-lantern-42", null);
        assertEquals(204, ok.status(), ok.body());
        Map<String, Object> after = row(user);
        assertEquals(false, after.get("mustChange"));
        assertTrue((int) after.get("version") > (int) before.get("version"), "auth_version bumped");

        assertEquals(401, login(user, oneTime).status(), "the one-time password is gone");
        Answer in = login(user, "violet-harbour-lantern-42");
        assertEquals(200, in.status(), in.body());
        String token = in.json().get("token").asText();
        assertEquals(200, get("/api/v1/staff?limit=1", token).status());

        // Self-service with the token: another account is 403, the same password 422, then it
        // works and the token it was made with stops working.
        Answer other = change("operator", "demo", "violet-harbour-lantern-43", token);
        assertEquals(403, other.status(), other.body());
        Answer missing = change(null, "violet-harbour-lantern-42", "quiet-river-stone-1987", token);
        assertEquals(422, missing.status(), "username is required, token or not");
        Answer same = change(user, "violet-harbour-lantern-42", "violet-harbour-lantern-42", token);
        assertEquals(422, same.status(), same.body());
        assertTrue(same.json().get("detail").asText().contains("same-as-current"), same.body());
        Answer self = change(user, "violet-harbour-lantern-42", "quiet-river-stone-1987", token);
        assertEquals(204, self.status(), self.body());
        assertEquals(401, get("/api/v1/staff?limit=1", token).status(), "older tokens end");
        assertEquals(401, login(user, "violet-harbour-lantern-42").status());
        assertEquals(200, login(user, "quiet-river-stone-1987").status());
    }

    static Answer get(String path, String token) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
    }

    @Test
    void createUserRefusesATakenUsernameAnUnknownRoleAndBadOptionsWithCode2() throws Exception {
        String user = PREFIX + "planner";
        assertEquals(0, admin("create-user", "--username", user, "--role", "PLANNER").code());
        String hash = (String) row(user).get("hash");
        Run taken = admin("create-user", "--username", user, "--role", "ADMIN");
        assertEquals(2, taken.code());
        assertTrue(taken.err().contains("taken"), taken.err());
        assertEquals(hash, row(user).get("hash"), "the existing account is untouched");
        assertEquals("PLANNER", row(user).get("role"));
        Run demoName = admin("create-user", "--username", "operator", "--role", "ADMIN");
        assertEquals(2, demoName.code(), "a demo account's name is taken too");

        Run role = admin("create-user", "--username", PREFIX + "x", "--role", "EMPEROR");
        assertEquals(2, role.code());
        assertTrue(role.err().contains("unknown role 'EMPEROR'"), role.err());
        assertTrue(role.err().contains("ADMIN"), "lists the roles: " + role.err());
        assertEquals(2, admin("create-user", "--username", PREFIX + "x").code(), "no role");
        assertEquals(2, admin("create-user", "--username", "Bad Name", "--role", "ADMIN").code());
        assertEquals(2, admin("create-user", "--username", PREFIX + "x", "--role").code());
        assertEquals(2, admin("create-user", "--username", PREFIX + "x", "--rol", "ADMIN").code());
        assertEquals(2, admin("delete-user").code());
        Run scope =
                admin(
                        "create-user",
                        "--username",
                        PREFIX + "x",
                        "--role",
                        "GRID_WORKER",
                        "--grid",
                        "999999999");
        assertEquals(2, scope.code(), scope.err());
        assertEquals(
                2,
                admin(
                                "create-user",
                                "--username",
                                PREFIX + "x",
                                "--role",
                                "GRID_LEADER",
                                "--grid",
                                "1",
                                "--platform",
                                "MARKET")
                        .code());
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT count(*) FROM staff WHERE username = '" + PREFIX + "x'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing was created");
        }
    }

    @Test
    void aPlatformScopedAccountCanBeCreated() throws Exception {
        String user = PREFIX + "market";
        Run r =
                admin(
                        "create-user",
                        "--username",
                        user,
                        "--role",
                        "PLATFORM_COMMANDER",
                        "--platform",
                        "MARKET");
        assertEquals(0, r.code(), r.err());
        assertEquals("PLATFORM", row(user).get("scope"));
    }

    @Test
    void demoAccountsAreNotFlaggedAndStillLogIn() throws Exception {
        assertEquals(false, row("operator").get("mustChange"));
        assertEquals(false, row("admin").get("mustChange"));
        assertEquals(200, login("admin", "demo").status());
    }

    @Test
    void withTheDemoOffTheDemoLoaderRefusesBeforeTouchingAnyDatabase() {
        // no database settings at all: the refusal comes first
        Config off = Config.of(Map.of("GRIDGOV_DEMO", "off"));
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () -> Main.demo(off, new String[] {"--if-empty"}));
        assertTrue(e.getMessage().contains("GRIDGOV_DEMO=off"), e.getMessage());
        assertFalse(off.demo());
        assertTrue(Config.of(Map.of()).demo(), "on by default");
        assertThrows(
                IllegalStateException.class, () -> Config.of(Map.of("GRIDGOV_DEMO", "no")).demo());
    }
}
