package org.gridgov.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;

/** One gridgov server per test run, on a free port, over the test database. */
public final class TestServer {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static Gridgov server;
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An HTTP answer with its body parsed when it is JSON. */
    public record Answer(
            int status,
            String contentType,
            String body,
            Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * This run's token signing secret, random: no secret is written down anywhere, tests included.
     */
    private static final String JWT_SECRET = randomSecret();

    private TestServer() {}

    private static String randomSecret() {
        byte[] b = new byte[48];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    /**
     * The secret the test server signs tokens with (tests forging tokens, other instances of the
     * same deployment).
     */
    public static String jwtSecret() {
        return JWT_SECRET;
    }

    public static synchronized Gridgov get() {
        if (server == null) {
            var db = TestDatabase.server(); // the server's role, as in production; fixtures use the
            // owner's
            var settings = new java.util.HashMap<>(TestDatabase.serverConfig());
            settings.putAll(
                    Map.of(
                            "GRIDGOV_PORT",
                            "0",
                            "GRIDGOV_HOST",
                            "127.0.0.1",
                            "GRIDGOV_JWT_SECRET",
                            JWT_SECRET,
                            // tests drive the workflow scheduler themselves, with their own clock
                            "GRIDGOV_SCHEDULER_SECONDS",
                            "0",
                            // every test posts from 127.0.0.1; AnonymousWritesLimitTest checks the
                            // limit on its own instance
                            "GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE",
                            "1000000",
                            // likewise wrong lookup codes; TrackThrottleTest checks the limits
                            "GRIDGOV_TRACK_GUESSES_PER_ADDRESS",
                            "1000000"));
            Config config = Config.of(settings);
            try {
                server = Gridgov.start(config, db);
            } catch (Exception e) {
                throw new IllegalStateException("test server did not start: " + e.getMessage(), e);
            }
        }
        return server;
    }

    public static String base() {
        return "http://127.0.0.1:" + get().port();
    }

    public static Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build());
    }

    private static final Map<String, String> TOKENS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A token of a demo account (password "demo"), fetched once per test run. */
    public static String token(String username) {
        return TOKENS.computeIfAbsent(
                username,
                u -> {
                    Answer a =
                            post(
                                    "/api/v1/auth/token",
                                    "{\"username\":\"" + u + "\",\"password\":\"demo\"}");
                    if (a.status() != 200)
                        throw new AssertionError(
                                "login of " + u + " failed: " + a.status() + " " + a.body());
                    return a.json().get("token").asText();
                });
    }

    /** A demo account: its username and staff id (the :id of /api/v1/staff/:id/…). */
    public record Account(String username, long id) {}

    /**
     * The first active demo account of a role with a username, by staff id, read from the staff
     * table (the access tests call as one account of each role).
     */
    public static Account firstAccount(org.gridgov.people.Role role) throws java.sql.SQLException {
        try (var c = TestDatabase.get().connection();
                var ps =
                        c.prepareStatement(
                                "SELECT username, id FROM staff WHERE role = ? AND active"
                                        + " AND username IS NOT NULL ORDER BY id LIMIT 1")) {
            ps.setString(1, role.name());
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) throw new AssertionError("the demo data has no " + role);
                return new Account(rs.getString(1), rs.getLong(2));
            }
        }
    }

    /** GET as a demo account. */
    public static Answer getAs(String username, String path) {
        return send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Authorization", "Bearer " + token(username))
                        .GET()
                        .build());
    }

    /** POST as a demo account. */
    public static Answer postAs(String username, String path, String body) {
        return post(path, body, "Authorization", "Bearer " + token(username));
    }

    public static Answer post(String path, String body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        boolean contentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            contentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!contentType) b.header("Content-Type", "application/json");
        return send(b.build());
    }

    public static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(""),
                    r.body(),
                    r.headers().map());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request.uri(), e);
        }
    }
}
