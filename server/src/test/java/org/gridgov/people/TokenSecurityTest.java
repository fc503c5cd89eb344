package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.gridgov.app.Config;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, finding 1 (forgeable, everlasting, unrevocable tokens), finding 12 (Basic auth's
 * timing and path check) and finding 9 (login throttling). Accounts are made per test, so changing
 * or throttling them leaves the demo accounts other tests log in with alone; throttled attempts
 * come from their own loopback addresses (127.0.0.x) for the same reason.
 */
@Tag("db")
class TokenSecurityTest {

    static final String INCIDENTS = "/api/v1/incidents?limit=1";
    static final String PASSWORD = "a-test-password";
    static Vertx vertx;
    static final List<Long> accounts = new ArrayList<>();
    static String hash;

    @BeforeAll
    static void setUp() {
        TestServer.get();
        vertx = Vertx.vertx();
        hash = Passwords.hash(PASSWORD);
    }

    @AfterAll
    static void tearDown() throws Exception {
        vertx.close();
        try (var c = TestDatabase.get().connection();
                var ps = c.prepareStatement("DELETE FROM staff WHERE id = ?")) {
            for (long id : accounts) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        }
    }

    /** A new command-centre operator account (off duty: dispatch never picks it). */
    static String account(String username) throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps =
                        c.prepareStatement(
                                """
                INSERT INTO staff (name, role, scope_type, username, password_hash, on_duty)
                VALUES (?, 'CENTRE_OPERATOR', 'SUBDISTRICT', ?, ?, false) RETURNING id""")) {
            ps.setString(1, "test " + username);
            ps.setString(2, username);
            ps.setString(3, hash);
            try (var rs = ps.executeQuery()) {
                rs.next();
                accounts.add(rs.getLong(1));
            }
        }
        return username;
    }

    static void update(String sql, String username) throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps = c.prepareStatement(sql)) {
            ps.setString(1, username);
            assertEquals(1, ps.executeUpdate(), sql);
        }
    }

    static String login(String username) {
        Answer a =
                TestServer.post(
                        "/api/v1/auth/token",
                        "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, a.status(), a.body());
        return a.json().get("token").asText();
    }

    static Answer get(String path, String token) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
    }

    static JsonObject payload(String token) {
        return new JsonObject(
                new String(
                        Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                        StandardCharsets.UTF_8));
    }

    static Sessions sessions() {
        return TestServer.get().sessions();
    }

    // ------------------------------------------------------------------ finding 1

    @Test
    void theForgedTokenOfTheFindingIsRefused() {
        // The secret the server used to fall back to, published in its source: an attacker's key
        // now.
        Tokens published =
                new Tokens(
                        vertx, "gridgov-development-secret-change-me-with-GRIDGOV_JWT_SECRET", 60);
        JsonObject finding =
                new JsonObject()
                        .put("sub", "1")
                        .put("roles", new JsonArray().add("ADMIN").add("CENTRE_DIRECTOR"))
                        .put("iss", "gridgov");
        assertEquals(
                401,
                get(INCIDENTS, published.issue(finding, 0)).status(),
                "the exact token of the finding");
        JsonObject complete =
                finding.copy()
                        .put("username", "admin")
                        .put("scope", new JsonObject().put("type", "SUBDISTRICT"));
        Answer a = get(INCIDENTS, published.issue(complete, 0));
        assertEquals(401, a.status(), "with every claim the server reads: " + a.body());
        assertEquals("https://gridgov.org/problems/unauthorized", a.json().get("type").asText());
    }

    @Test
    void aTokenWithoutExpiryOrIdIsRefusedEvenWellSigned() throws Exception {
        String token = login(account("nexp.user"));
        Tokens ours = new Tokens(vertx, TestServer.jwtSecret(), 60);
        JsonObject claims = payload(token);
        claims.remove("iat");
        claims.remove("exp");
        assertEquals(
                200,
                get(INCIDENTS, ours.issue(claims.copy(), 60)).status(),
                "control: the same claims with an expiry pass");
        assertEquals(401, get(INCIDENTS, ours.issue(claims.copy(), 0)).status(), "no exp");
        JsonObject noJti = claims.copy();
        noJti.remove("jti");
        assertEquals(
                401,
                get(INCIDENTS, ours.issue(noJti, 60)).status(),
                "no jti: could never be logged out");
        JsonObject noVer = claims.copy();
        noVer.remove("ver");
        assertEquals(401, get(INCIDENTS, ours.issue(noVer, 60)).status(), "no account stamp");
        String unsigned =
                Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(
                                        "{\"alg\":\"none\",\"typ\":\"JWT\"}"
                                                .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + token.split("\\.")[1]
                        + ".";
        assertEquals(401, get(INCIDENTS, unsigned).status(), "alg none");
    }

    @Test
    void loggingOutEndsThatTokenOnlyAndEverywhere() throws Exception {
        String user = account("logout.user");
        String token = login(user);
        String other = login(user);
        assertEquals(200, get(INCIDENTS, token).status());
        Answer out = TestServer.post("/api/v1/auth/logout", "", "Authorization", "Bearer " + token);
        assertEquals(204, out.status(), out.body());
        assertEquals(401, get(INCIDENTS, token).status(), "logged out, at once on this instance");
        assertEquals(200, get(INCIDENTS, other).status(), "the account's other login goes on");
        // What another instance knows: only the database. Forget everything read, as the recheck
        // period does.
        sessions().expire();
        assertEquals(
                401, get(INCIDENTS, token).status(), "revoked in the database, for every instance");
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM revoked_token WHERE jti = '"
                                + payload(token).getString("jti")
                                + "'"));
        assertEquals(
                401, TestServer.post("/api/v1/auth/logout", "").status(), "logout needs a token");
    }

    @Test
    void expiredRevocationsArePurged() throws Exception {
        String user = account("purge.user");
        long id = accounts.get(accounts.size() - 1);
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO revoked_token VALUES ('purge-me', "
                            + id
                            + ", now() - interval '1 minute')");
        }
        sessions().expire();
        assertEquals(
                200, get(INCIDENTS, login(user)).status()); // reads the list again, purging first
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM revoked_token WHERE jti = 'purge-me'"));
    }

    /**
     * Each change to what a token vouches for ends the account's tokens and cached Basic logins.
     */
    @Test
    void changingTheStaffRowEndsItsLogins() throws Exception {
        Map<String, String> changes =
                Map.of(
                        "role", "UPDATE staff SET role = 'AUDITOR' WHERE username = ?",
                        "scope",
                                "UPDATE staff SET scope_type = 'PLATFORM', platform = 'MARKET' WHERE username = ?",
                        "password",
                                "UPDATE staff SET password_hash = '"
                                        + Passwords.hash("another-password")
                                        + "' WHERE username = ?",
                        "disabled", "UPDATE staff SET active = false WHERE username = ?");
        for (var change : changes.entrySet()) {
            String user = account("changed." + change.getKey());
            String token = login(user);
            String basic =
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (user + ":" + PASSWORD)
                                                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(200, get(INCIDENTS, token).status());
            assertEquals(200, ogcAs(basic).status(), "Basic: verified and cached");
            update(change.getValue(), user);
            sessions().expire(); // the recheck period (≤ 30 s) has passed; SessionsRecheckTest pins
            // that period
            Answer after = get(INCIDENTS, token);
            assertEquals(401, after.status(), change.getKey() + ": " + after.body());
            assertTrue(after.json().get("detail").asText().contains("log in again"), after.body());
            assertEquals(
                    401,
                    ogcAs(basic).status(),
                    change.getKey() + ": the cached Basic login ends too");
        }
        Answer disabled =
                TestServer.post(
                        "/api/v1/auth/token",
                        "{\"username\":\"changed.disabled\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(401, disabled.status(), "a disabled account cannot log in");
        assertEquals(
                "https://gridgov.org/problems/invalid-credentials",
                disabled.json().get("type").asText(),
                "the answer of a wrong password");
    }

    static Answer ogcAs(String authorization) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/ogc/collections"))
                        .header("Authorization", authorization)
                        .GET()
                        .build());
    }

    @Test
    void theStaffRowIsReadAgainWithinTheRecheckPeriod() throws Exception {
        String user = account("recheck.user");
        long id = accounts.get(accounts.size() - 1);
        AtomicLong clock = new AtomicLong();
        Sessions s =
                new Sessions(
                        new StaffDirectory(TestDatabase.get().dataSource()),
                        new RevocationStore(TestDatabase.get().dataSource()),
                        30,
                        clock::get);
        int version = payload(login(user)).getInteger("ver");
        assertTrue(
                s.current(vertx, id, version, "some-jti")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        update("UPDATE staff SET role = 'PLANNER' WHERE username = ?", user);
        clock.set(TimeUnit.SECONDS.toNanos(29));
        assertTrue(
                s.current(vertx, id, version, "some-jti")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS),
                "believed until the period is over");
        clock.set(TimeUnit.SECONDS.toNanos(30));
        assertFalse(
                s.current(vertx, id, version, "some-jti")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS),
                "read again after 30 s");
        assertEquals(
                TimeUnit.SECONDS.toNanos(15),
                sessions().recheckNanos(),
                "the default period, well within 30 s");
    }

    @Test
    void theServerHasNoSecretUnlessGivenOneOfAtLeast32Bytes(@TempDir Path dir) throws Exception {
        var none = assertThrows(IllegalStateException.class, () -> Config.of(Map.of()).jwtSecret());
        assertTrue(
                none.getMessage().contains("GRIDGOV_JWT_SECRET")
                        && none.getMessage().contains("GRIDGOV_JWT_SECRET_FILE"),
                none.getMessage());
        var shortOne =
                assertThrows(
                        IllegalStateException.class,
                        () -> Config.of(Map.of("GRIDGOV_JWT_SECRET", "x".repeat(31))).jwtSecret());
        assertTrue(shortOne.getMessage().contains("32"), shortOne.getMessage());
        assertEquals(
                "y".repeat(32),
                Config.of(Map.of("GRIDGOV_JWT_SECRET", "y".repeat(32))).jwtSecret());

        Path file = dir.resolve("jwt-secret");
        Files.writeString(file, "z".repeat(40) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(
                "z".repeat(40),
                Config.of(Map.of("GRIDGOV_JWT_SECRET_FILE", file.toString())).jwtSecret(),
                "the file, without its newline");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var readable =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Config.of(Map.of("GRIDGOV_JWT_SECRET_FILE", file.toString()))
                                        .jwtSecret());
        assertTrue(readable.getMessage().contains("chmod 600"), readable.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, "short\n");
        assertThrows(
                IllegalStateException.class,
                () -> Config.of(Map.of("GRIDGOV_JWT_SECRET_FILE", file.toString())).jwtSecret());
        var missing =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Config.of(
                                                Map.of(
                                                        "GRIDGOV_JWT_SECRET_FILE",
                                                        dir.resolve("nope").toString()))
                                        .jwtSecret());
        assertTrue(missing.getMessage().contains("GRIDGOV_JWT_SECRET_FILE"), missing.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new Tokens(vertx, null, 60),
                "and Tokens takes no missing secret");
    }

    // ------------------------------------------------------------------ finding 12

    @Test
    void basicTakesAsLongForAnUnknownUserAsForAWrongPassword() throws Exception {
        String user = account("basic.timing");
        long before = Passwords.checks();
        assertEquals(
                401,
                ogcAs(
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        "no.such.user:whatever"
                                                                .getBytes(StandardCharsets.UTF_8)))
                        .status());
        assertEquals(
                1,
                Passwords.checks() - before,
                "an unknown name runs one BCrypt (against the dummy hash)");
        assertEquals(
                401,
                ogcAs(
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        (user + ":wrong")
                                                                .getBytes(StandardCharsets.UTF_8)))
                        .status());
        assertEquals(2, Passwords.checks() - before, "as a wrong password does");
    }

    @Test
    void basicIsRefusedOnTheApiWhateverThePathSpelling() throws Exception {
        String basic =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (account("dotdot.user") + ":" + PASSWORD)
                                                .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, ogcAs(basic).status(), "control: Basic opens the OGC services");
        for (String path :
                List.of(
                        "/ogc/../api/v1/incidents?limit=1",
                        "/tiles/../api/v1/incidents?limit=1",
                        "/ogc/%2e%2e/api/v1/incidents?limit=1")) {
            String answer =
                    raw(
                            "127.0.0.1",
                            "GET " + path + " HTTP/1.1\r\nAuthorization: " + basic + "\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 401"), path + " → " + answer);
        }
    }

    // ------------------------------------------------------------------ finding 9

    @BeforeEach
    void holdTheThrottlesClock() {
        TestServer.get()
                .loginThrottle()
                .holdClock(); // no failure is forgiven mid-test, however slow the machine
    }

    @AfterEach
    void releaseTheThrottlesClock() {
        TestServer.get().loginThrottle().releaseClock();
    }

    static String loginFrom(String address, String username, String password) throws Exception {
        String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
        return raw(
                address,
                "POST /api/v1/auth/token HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length
                        + "\r\n\r\n"
                        + body);
    }

    static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    @Test
    void failedLoginsAreThrottledPerUsernameBeforeAnyPasswordCheck() throws Exception {
        String user = account("throttled.user");
        for (int i = 0; i < 10; i++)
            assertEquals(401, status(loginFrom("127.0.0.2", user, "guess" + i)), "guess " + i);
        long before = Passwords.checks();
        String refused = loginFrom("127.0.0.2", user, "guess10");
        assertEquals(429, status(refused), refused);
        assertTrue(
                refused.contains("application/problem+json") && refused.contains("too-many-logins"),
                refused);
        // 10 per 15 minutes: one more every 90 s (the clock is held, so exactly that)
        assertTrue(refused.contains("Retry-After: 90"), refused);
        assertEquals(
                429,
                status(loginFrom("127.0.0.3", user, PASSWORD)),
                "from another address too, even the right password");
        assertEquals(0, Passwords.checks() - before, "no BCrypt for a throttled attempt");
        assertEquals(
                200,
                status(loginFrom("127.0.0.2", account("unthrottled.user"), PASSWORD)),
                "another account from the same address");
        String basic =
                "Authorization: Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))
                        + "\r\n";
        assertEquals(
                429,
                status(raw("127.0.0.3", "GET /ogc/collections HTTP/1.1\r\n" + basic)),
                "Basic shares the account's limit");
    }

    @Test
    void failuresFromManyAddressesCountAgainstTheUsername() throws Exception {
        String user = account("spread.guesses");
        for (int i = 0; i < 10; i++)
            assertEquals(
                    401,
                    status(loginFrom("127.0.1." + (i + 1), user, "guess" + i)),
                    "guess " + i + " from its own address");
        String refused = loginFrom("127.0.1.20", user, PASSWORD);
        assertEquals(429, status(refused), refused);
        assertTrue(refused.contains("in 15 minutes"), refused);
        assertTrue(refused.contains("Retry-After: 90"), refused);
    }

    @Test
    void passwordChangesAreThrottledLikeLogins() throws Exception {
        String user = account("change.guesses");
        for (int i = 0; i < 10; i++)
            assertEquals(401, status(changeFrom("127.0.2.1", user, "guess" + i)), "guess " + i);
        assertEquals(429, status(changeFrom("127.0.2.2", user, PASSWORD)));
        assertEquals(429, status(loginFrom("127.0.2.3", user, PASSWORD)), "one limit for both");
    }

    static String changeFrom(String address, String username, String password) throws Exception {
        String body =
                "{\"username\":\""
                        + username
                        + "\",\"password\":\""
                        + password
                        + "\",\"newPassword\":\"violet-harbour-lantern-42\"}";
        return raw(
                address,
                "POST /api/v1/auth/password HTTP/1.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length
                        + "\r\n\r\n"
                        + body);
    }

    @Test
    void failedLoginsAreThrottledPerAddress() throws Exception {
        for (int i = 0; i < 30; i++)
            assertEquals(401, status(loginFrom("127.0.0.4", "nobody" + i, "x")), "attempt " + i);
        assertEquals(429, status(loginFrom("127.0.0.4", "nobody30", "x")));
        assertEquals(
                401,
                status(loginFrom("127.0.0.5", "nobody30", "x")),
                "the same name from elsewhere is only wrong");
    }

    @Test
    void failedBasicLoginsAreThrottled() throws Exception {
        String user = account("basic.throttled");
        String wrong =
                "Authorization: Basic "
                        + Base64.getEncoder()
                                .encodeToString((user + ":wrong").getBytes(StandardCharsets.UTF_8))
                        + "\r\n";
        for (int i = 0; i < 10; i++)
            assertEquals(
                    401,
                    status(raw("127.0.0.6", "GET /ogc/collections HTTP/1.1\r\n" + wrong)),
                    "attempt " + i);
        String refused = raw("127.0.0.6", "GET /ogc/collections HTTP/1.1\r\n" + wrong);
        assertEquals(429, status(refused), refused);
    }

    /**
     * One HTTP/1.1 exchange over a plain socket from a chosen loopback address (the server sees it
     * as the client's), with the request line exactly as written (no client normalises its path).
     * head: request line and headers, each ending CRLF; a body may follow an empty line.
     */
    static String raw(String from, String head) throws Exception {
        String request =
                head.contains("\r\n\r\n")
                        ? head.replaceFirst("\r\n", "\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                        : head + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", TestServer.get().port()), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
