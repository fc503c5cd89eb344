package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated from people/AccessRules: every rule, called anonymously and as a demo account of each
 * role, is refused (401 anonymous, 403 wrong role) exactly when the table says so, and otherwise
 * reaches its handler (which may still answer 400, 404, … for the dummy ids and bodies used here,
 * but never 401 or 403).
 */
@Tag("db")
class AccessMatrixTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * A demo account of each role, and its staff id (the :id of /api/v1/staff/:id/…, which is one's
     * own).
     */
    private static final Map<Role, String> USERS = new EnumMap<>(Role.class);

    private static final Map<Role, Long> IDS = new EnumMap<>(Role.class);

    @BeforeAll
    static void accounts() throws Exception {
        // from the table: a subdistrict's director lists its own subdistrict's staff only, and
        // the district roles belong to none (the isolation rule, docs/access.md)
        for (Role r : Role.values()) {
            TestServer.Account a = TestServer.firstAccount(r);
            USERS.put(r, a.username());
            IDS.put(r, a.id());
        }
    }

    @TestFactory
    Stream<DynamicTest> eachRuleAdmitsExactlyItsRoles() {
        return AccessRules.RULES.stream()
                .map(
                        rule ->
                                DynamicTest.dynamicTest(
                                        rule.method() + " " + rule.path(),
                                        () -> {
                                            List<String> wrong = new ArrayList<>();
                                            int anon = call(rule, null);
                                            if (rule.audience().anonymous()) {
                                                if (anon == 401 || anon == 403)
                                                    wrong.add(
                                                            "anonymous got "
                                                                    + anon
                                                                    + " on a public route");
                                            } else if (anon != 401) {
                                                wrong.add("anonymous got " + anon + ", not 401");
                                            }
                                            for (Role r : Role.values()) {
                                                int status = call(rule, r);
                                                boolean may =
                                                        rule.audience().admits(java.util.Set.of(r));
                                                if (may && (status == 401 || status == 403))
                                                    wrong.add(r + " may, but got " + status);
                                                if (!may && status != 403)
                                                    wrong.add(r + " may not, but got " + status);
                                            }
                                            assertEquals(
                                                    List.of(), wrong, rule.audience().describe());
                                        }));
    }

    /**
     * The status of one request for the rule, with dummy ids, as the role's demo account (null:
     * anonymous).
     */
    private static int call(AccessRules.Rule rule, Role role) throws Exception {
        String path =
                rule.path().equals(AccessRules.WEB_APP)
                        ? "/"
                        : rule.path()
                                .replace(
                                        "/staff/:id",
                                        "/staff/" + (role == null ? 1 : IDS.get(role)))
                                .replace(":z/:x/:y", "14/1/1")
                                .replace(":layer", "no-such-layer")
                                .replace(":collectionId", "no-such-collection")
                                .replace(":queue", "no-such-queue")
                                .replace(":code", "NO_SUCH")
                                .replaceAll(":[A-Za-z]+", "999999999");
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .timeout(Duration.ofSeconds(60));
        if (role != null) {
            // logging out revokes the token: that one request gets a token of its own
            String token =
                    rule.path().endsWith("/logout")
                            ? freshToken(USERS.get(role))
                            : TestServer.token(USERS.get(role));
            b.header("Authorization", "Bearer " + token);
        }
        // "[]" is no valid body anywhere: an admitted caller gets a 4xx from the handler, and
        // nothing changes
        switch (rule.method()) {
            case "GET" -> b.GET();
            case "DELETE" -> b.DELETE();
            default ->
                    b.method(
                                    rule.method(),
                                    rule.method().equals("HEAD")
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofString("[]"))
                            .header("Content-Type", "application/json");
        }
        HttpResponse<InputStream> r;
        try {
            r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            // which request of which rule, not only "no bytes"
            throw new java.io.IOException(
                    rule.method() + " " + path + " as " + role + ": " + e.getMessage(), e);
        }
        try (InputStream in = r.body()) {
            // the live feed never ends: its status is all that matters
            if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"))
                in.readAllBytes();
        }
        return r.statusCode();
    }

    private static String freshToken(String username) {
        var a =
                TestServer.post(
                        "/api/v1/auth/token",
                        "{\"username\":\"" + username + "\",\"password\":\"demo\"}");
        assertEquals(200, a.status(), a.body());
        return new String(
                a.json().get("token").asText().getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
    }
}
