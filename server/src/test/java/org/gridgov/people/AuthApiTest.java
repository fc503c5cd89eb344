package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Logging in, token claims, forged and expired tokens, and who may list staff. */
@Tag("db")
class AuthApiTest {

    static Vertx vertx;

    @BeforeAll
    static void setUp() {
        TestServer.get();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void tearDown() {
        vertx.close();
    }

    static Answer get(String path, String token) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
    }

    @Test
    void demoAccountsLogInAndTheTokenCarriesRolesAndScope() throws Exception {
        Answer a =
                TestServer.post(
                        "/api/v1/auth/token",
                        "{\"username\":\"enforcement.commander\",\"password\":\"demo\"}");
        assertEquals(200, a.status(), a.body());
        JsonNode c = a.json().get("claims");
        assertEquals("PLATFORM_COMMANDER", c.at("/roles/0").asText());
        assertEquals("PLATFORM", c.at("/scope/type").asText());
        assertEquals("ENFORCEMENT", c.at("/scope/platform").asText());
        assertEquals("enforcement.commander", c.get("username").asText());
        Long.parseLong(c.get("sub").asText());
        // the token's payload holds the same claims (what other capabilities read from
        // ctx.user().principal())
        String payload =
                new String(
                        java.util.Base64.getUrlDecoder()
                                .decode(a.json().get("token").asText().split("\\.")[1]));
        JsonObject claims = new JsonObject(payload);
        assertEquals(new JsonArray().add("PLATFORM_COMMANDER"), claims.getJsonArray("roles"));
        assertEquals("gridgov", claims.getString("iss"));
        assertTrue(claims.getLong("exp") > claims.getLong("iat"));
        for (String u :
                new String[] {
                    "operator",
                    "director",
                    "chief",
                    "planner",
                    "auditor",
                    "admin",
                    "liaison",
                    "market.handler1"
                }) {
            assertEquals(
                    200,
                    TestServer.post(
                                    "/api/v1/auth/token",
                                    "{\"username\":\"" + u + "\",\"password\":\"demo\"}")
                            .status(),
                    u);
        }
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetTheSame401() {
        Answer wrong =
                TestServer.post(
                        "/api/v1/auth/token", "{\"username\":\"operator\",\"password\":\"nope\"}");
        Answer unknown =
                TestServer.post(
                        "/api/v1/auth/token", "{\"username\":\"nobody\",\"password\":\"demo\"}");
        assertEquals(401, wrong.status());
        assertEquals(401, unknown.status());
        assertEquals(wrong.json().get("detail"), unknown.json().get("detail"));
        assertEquals(
                422, TestServer.post("/api/v1/auth/token", "{\"username\":\"operator\"}").status());
        assertEquals(
                422,
                TestServer.post(
                                "/api/v1/auth/token",
                                "{\"username\":\"operator\",\"password\":\"demo\",\"x\":1}")
                        .status());
    }

    @Test
    void forgedExpiredAndMalformedTokensAre401() {
        String good = TestServer.token("operator");
        assertEquals(200, get("/api/v1/incidents?limit=1", good).status());
        Tokens foreign = new Tokens(vertx, "another-secret-that-is-long-enough-to-sign-things", 60);
        JsonObject claims =
                new JsonObject()
                        .put("sub", "1")
                        .put("username", "operator")
                        .put("roles", new JsonArray().add("CHIEF_COMMANDER"))
                        .put("scope", new JsonObject().put("type", "SUBDISTRICT"));
        Answer forged = get("/api/v1/incidents?limit=1", foreign.issue(claims, 60));
        assertEquals(401, forged.status());
        assertEquals(
                "https://gridgov.org/problems/unauthorized", forged.json().get("type").asText());
        Tokens ours =
                new Tokens(
                        vertx, TestServer.jwtSecret(), 60); // the secret the test server signs with
        // the operator's own claims (with the account's stamp and a token id), re-signed
        JsonObject real =
                new JsonObject(
                        new String(java.util.Base64.getUrlDecoder().decode(good.split("\\.")[1])));
        real.remove("iat");
        real.remove("exp");
        assertEquals(
                200,
                get("/api/v1/incidents?limit=1", ours.issue(real, 60)).status(),
                "control: a well-signed token passes");
        long now = System.currentTimeMillis() / 1000;
        assertEquals(
                401,
                get(
                                "/api/v1/incidents?limit=1",
                                ours.issue(
                                        real.copy().put("iat", now - 600).put("exp", now - 300), 0))
                        .status(),
                "expired");
        String[] parts = good.split("\\.");
        String tampered =
                parts[0]
                        + "."
                        + java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(claims.encode().getBytes())
                        + "."
                        + parts[2];
        assertEquals(
                401,
                get("/api/v1/incidents?limit=1", tampered).status(),
                "payload swapped under a valid signature");
        assertEquals(401, get("/api/v1/incidents?limit=1", "not-a-token").status());
        assertEquals(
                401,
                TestServer.send(
                                HttpRequest.newBuilder(
                                                URI.create(TestServer.base() + "/api/v1/incidents"))
                                        .header("Authorization", "Basic b3BlcmF0b3I6ZGVtbw==")
                                        .GET()
                                        .build())
                        .status());
        assertEquals(401, TestServer.get("/api/v1/incidents").status(), "anonymous");
    }

    @Test
    void staffIsListedToThoseAllowedWithoutPhones() {
        Answer a =
                TestServer.getAs("director", "/api/v1/staff?role=PLATFORM_HANDLER&platform=MARKET");
        assertEquals(200, a.status(), a.body());
        JsonNode list = a.json().get("staff");
        assertTrue(list.size() >= 3);
        for (JsonNode s : list) {
            assertEquals("PLATFORM_HANDLER", s.at("/roles/0").asText());
            assertEquals("MARKET", s.at("/scope/platform").asText());
            assertTrue(s.get("username").asText().startsWith("market.handler"));
            assertFalse(s.has("phone"));
        }
        assertEquals(403, TestServer.getAs("market.handler1", "/api/v1/staff").status());
        assertEquals(401, TestServer.get("/api/v1/staff").status());
        assertEquals(400, TestServer.getAs("director", "/api/v1/staff?role=KING").status());
    }
}
