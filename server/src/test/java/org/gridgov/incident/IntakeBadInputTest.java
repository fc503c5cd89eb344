package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.stream.Stream;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad report gets a 4xx problem+json naming the field, and stores nothing. */
@Tag("db")
class IntakeBadInputTest {

    static String cat;
    static double lon, lat;

    @BeforeAll
    static void setUp() throws Exception {
        IntakeApiTest.setUp();
        cat = IntakeApiTest.subdistrictCategory;
        lon = IntakeApiTest.probe.lon();
        lat = IntakeApiTest.probe.lat();
        STAFF = new String[] {"Authorization", "Bearer " + TestServer.token("operator")};
    }

    /** These reports are on a staff channel, as the hotline desk files them: with a token. */
    static String[] STAFF;

    static String body(String location) {
        return "{\"category\":\""
                + cat
                + "\",\"channel\":\"HOTLINE\",\"location\":"
                + location
                + "}";
    }

    static Stream<Arguments> badReports() {
        String loc = "{\"lon\":" + lon + ",\"lat\":" + lat + "}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"category\": ", 400, "malformed-json", null),
                Arguments.of("not an object", "[1,2,3]", 400, "malformed-json", null),
                Arguments.of("empty body", "", 400, "malformed-json", null),
                Arguments.of("trailing garbage", body(loc) + " x", 400, "malformed-json", null),
                Arguments.of(
                        "duplicate key",
                        "{\"category\":\""
                                + cat
                                + "\",\"category\":\"X\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + "}",
                        400,
                        "malformed-json",
                        null),
                Arguments.of(
                        "NaN literal",
                        body("{\"lon\":NaN,\"lat\":30.19}"),
                        400,
                        "malformed-json",
                        null),
                Arguments.of(
                        "Infinity literal",
                        body("{\"lon\":Infinity,\"lat\":30.19}"),
                        400,
                        "malformed-json",
                        null),
                Arguments.of(
                        "overflowing number",
                        body("{\"lon\":1e400,\"lat\":30.19}"),
                        422,
                        "invalid-field",
                        "/location/lon"),
                Arguments.of(
                        "NaN as string",
                        body("{\"lon\":\"NaN\",\"lat\":30.19}"),
                        422,
                        "invalid-field",
                        "/location/lon"),
                Arguments.of(
                        "missing category",
                        "{\"channel\":\"HOTLINE\",\"location\":" + loc + "}",
                        422,
                        "invalid-field",
                        "/category"),
                Arguments.of(
                        "missing channel",
                        "{\"category\":\"" + cat + "\",\"location\":" + loc + "}",
                        422,
                        "invalid-field",
                        "/channel"),
                Arguments.of(
                        "missing location",
                        "{\"category\":\"" + cat + "\",\"channel\":\"HOTLINE\"}",
                        422,
                        "invalid-field",
                        "/location"),
                Arguments.of(
                        "category of wrong type",
                        "{\"category\":42,\"channel\":\"HOTLINE\",\"location\":" + loc + "}",
                        422,
                        "invalid-field",
                        "/category"),
                Arguments.of(
                        "unknown category",
                        "{\"category\":\"NO_SUCH_THING\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + "}",
                        422,
                        "unknown-category",
                        "/category"),
                Arguments.of(
                        "unknown channel",
                        "{\"category\":\""
                                + cat
                                + "\",\"channel\":\"CARRIER_PIGEON\",\"location\":"
                                + loc
                                + "}",
                        422,
                        "unknown-channel",
                        "/channel"),
                Arguments.of(
                        "unknown field",
                        "{\"categroy\":\""
                                + cat
                                + "\",\"category\":\""
                                + cat
                                + "\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + "}",
                        422,
                        "invalid-field",
                        "/categroy"),
                Arguments.of(
                        "longitude out of range",
                        body("{\"lon\":181,\"lat\":30.19}"),
                        422,
                        "invalid-field",
                        "/location/lon"),
                Arguments.of(
                        "latitude out of range",
                        body("{\"lon\":120.29,\"lat\":-91}"),
                        422,
                        "invalid-field",
                        "/location/lat"),
                Arguments.of(
                        "lon as string",
                        body("{\"lon\":\"120.29\",\"lat\":30.19}"),
                        422,
                        "invalid-field",
                        "/location/lon"),
                Arguments.of(
                        "location as string",
                        body("\"120.29,30.19\""),
                        422,
                        "invalid-field",
                        "/location"),
                Arguments.of(
                        "polygon instead of point",
                        body(
                                "{\"type\":\"Polygon\",\"coordinates\":[[[120.29,30.19],[120.3,30.19],[120.3,30.2],[120.29,30.19]]]}"),
                        422,
                        "invalid-geometry",
                        "/location/type"),
                Arguments.of(
                        "point without coordinates",
                        body("{\"type\":\"Point\"}"),
                        422,
                        "invalid-field",
                        "/location/coordinates"),
                Arguments.of(
                        "point with one coordinate",
                        body("{\"type\":\"Point\",\"coordinates\":[120.29]}"),
                        422,
                        "invalid-field",
                        "/location/coordinates"),
                Arguments.of(
                        "point latitude out of range",
                        body("{\"type\":\"Point\",\"coordinates\":[120.29,95]}"),
                        422,
                        "invalid-field",
                        "/location/coordinates/1"),
                Arguments.of(
                        "far outside the area",
                        body("{\"lon\":116.39,\"lat\":39.9}"),
                        422,
                        "out-of-area",
                        "/location"),
                Arguments.of(
                        "reportedAt not a date",
                        "{\"category\":\""
                                + cat
                                + "\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + ",\"reportedAt\":\"yesterday\"}",
                        422,
                        "invalid-field",
                        "/reportedAt"),
                Arguments.of(
                        "reportedAt in the future",
                        "{\"category\":\""
                                + cat
                                + "\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + ",\"reportedAt\":\"2999-01-01T00:00:00+08:00\"}",
                        422,
                        "invalid-field",
                        "/reportedAt"),
                Arguments.of(
                        "reportedAt before any plan",
                        "{\"category\":\""
                                + cat
                                + "\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + ",\"reportedAt\":\"2001-01-01T00:00:00+08:00\"}",
                        422,
                        "invalid-field",
                        "/reportedAt"),
                Arguments.of(
                        "description too long",
                        "{\"category\":\""
                                + cat
                                + "\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + ",\"description\":\""
                                + "长".repeat(4001)
                                + "\"}",
                        422,
                        "invalid-field",
                        "/description"),
                Arguments.of(
                        "reporter not an object",
                        "{\"category\":\""
                                + cat
                                + "\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + ",\"reporter\":\"me\"}",
                        422,
                        "invalid-field",
                        "/reporter"),
                Arguments.of(
                        "bad phone",
                        "{\"category\":\""
                                + cat
                                + "\",\"channel\":\"HOTLINE\",\"location\":"
                                + loc
                                + ",\"reporter\":{\"phone\":\"<script>\"}}",
                        422,
                        "invalid-field",
                        "/reporter/phone"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReports")
    void refusedWithAProblemAndNothingStored(
            String why, String body, int status, String type, String field) throws Exception {
        long before = IntakeApiTest.count();
        Answer a = TestServer.post("/api/v1/incidents", body, STAFF);
        assertProblem(a, status, type, field);
        assertEquals(before, IntakeApiTest.count(), "nothing stored for: " + why);
    }

    static void assertProblem(Answer a, int status, String type, String field) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        JsonNode p = a.json();
        assertEquals("https://gridgov.org/problems/" + type, p.get("type").asText(), a.body());
        assertEquals(status, p.get("status").asInt());
        assertFalse(p.get("title").asText().isBlank());
        assertFalse(p.path("detail").asText().isBlank(), "a detail says what is wrong");
        if (field != null) assertEquals(field, p.path("field").asText(), a.body());
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        long before = IntakeApiTest.count();
        String big =
                "{\"category\":\""
                        + cat
                        + "\",\"channel\":\"HOTLINE\",\"location\":{\"lon\":"
                        + lon
                        + ",\"lat\":"
                        + lat
                        + "},\"description\":\""
                        + "x".repeat(200_000)
                        + "\"}";
        Answer a = TestServer.post("/api/v1/incidents", big);
        assertProblem(a, 413, "payload-too-large", null);
        assertEquals(before, IntakeApiTest.count());
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        long before = IntakeApiTest.count();
        Answer a =
                TestServer.post(
                        "/api/v1/incidents",
                        body("{\"lon\":" + lon + ",\"lat\":" + lat + "}"),
                        "Content-Type",
                        "text/plain",
                        STAFF[0],
                        STAFF[1]);
        assertProblem(a, 415, "unsupported-media-type", "Content-Type");
        assertEquals(before, IntakeApiTest.count());
    }

    @Test
    void aReusedIdempotencyKeyWithAnotherBodyIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        Answer first =
                TestServer.post(
                        "/api/v1/incidents",
                        body("{\"lon\":" + lon + ",\"lat\":" + lat + "}"),
                        "Idempotency-Key",
                        key,
                        STAFF[0],
                        STAFF[1]);
        assertEquals(201, first.status(), first.body());
        long before = IntakeApiTest.count();
        String other =
                "{\"category\":\""
                        + cat
                        + "\",\"channel\":\"GRID_PATROL\",\"location\":{\"lon\":"
                        + lon
                        + ",\"lat\":"
                        + lat
                        + "}}";
        Answer a =
                TestServer.post(
                        "/api/v1/incidents", other, "Idempotency-Key", key, STAFF[0], STAFF[1]);
        assertProblem(a, 422, "idempotency-key-reused", "Idempotency-Key");
        assertTrue(
                a.json().get("detail").asText().contains(first.json().get("id").asText()),
                "names the incident the key belongs to");
        assertEquals(before, IntakeApiTest.count());
    }

    @Test
    void aBadIdempotencyKeyIsRefused() throws Exception {
        long before = IntakeApiTest.count();
        Answer a =
                TestServer.post(
                        "/api/v1/incidents",
                        body("{\"lon\":" + lon + ",\"lat\":" + lat + "}"),
                        "Idempotency-Key",
                        "k".repeat(201),
                        STAFF[0],
                        STAFF[1]);
        assertProblem(a, 400, "invalid-idempotency-key", "Idempotency-Key");
        assertEquals(before, IntakeApiTest.count());
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("/api/v1/incidents?cursor=garbage", 400, "invalid-cursor", "cursor"),
                Arguments.of(
                        "/api/v1/incidents?cursor=aTE6LTU",
                        400,
                        "invalid-cursor",
                        "cursor"), // "i1:-5"
                Arguments.of("/api/v1/incidents?cursor=%25%25", 400, "invalid-cursor", "cursor"),
                Arguments.of("/api/v1/incidents?bbox=1,2,3", 400, "invalid-bbox", "bbox"),
                Arguments.of("/api/v1/incidents?bbox=a,b,c,d", 400, "invalid-bbox", "bbox"),
                Arguments.of(
                        "/api/v1/incidents?bbox=120.3,30.2,120.2,30.1",
                        400,
                        "invalid-bbox",
                        "bbox"),
                Arguments.of("/api/v1/incidents?bbox=120,30,200,31", 400, "invalid-bbox", "bbox"),
                Arguments.of("/api/v1/incidents?bbox=NaN,30,121,31", 400, "invalid-bbox", "bbox"),
                Arguments.of("/api/v1/communities?bbox=1,2,3,4,5", 400, "invalid-bbox", "bbox"),
                Arguments.of("/api/v1/grids?bbox=x", 400, "invalid-bbox", "bbox"),
                Arguments.of("/api/v1/grids?plan=newest", 400, "invalid-parameter", "plan"),
                Arguments.of("/api/v1/grids?plan=987654", 404, "not-found", null),
                Arguments.of("/api/v1/incidents?limit=0", 400, "invalid-parameter", "limit"),
                Arguments.of("/api/v1/incidents?limit=100000", 400, "invalid-parameter", "limit"),
                Arguments.of("/api/v1/incidents?limit=ten", 400, "invalid-parameter", "limit"),
                Arguments.of("/api/v1/incidents?status=LOST", 400, "invalid-parameter", "status"),
                Arguments.of(
                        "/api/v1/incidents?platform=POLICE", 400, "invalid-parameter", "platform"),
                Arguments.of(
                        "/api/v1/incidents?category=NOPE", 400, "unknown-category", "category"),
                Arguments.of("/api/v1/incidents?from=yesterday", 400, "invalid-parameter", "from"),
                Arguments.of(
                        "/api/v1/incidents?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                        400,
                        "invalid-parameter",
                        "to"),
                Arguments.of("/api/v1/incidents?grid=-3", 400, "invalid-parameter", "grid"),
                Arguments.of(
                        "/api/v1/incidents?limit=5&limit=6", 400, "invalid-parameter", "limit"),
                Arguments.of("/api/v1/nothing-here", 404, "not-found", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void badQueriesAreProblems(String path, int status, String type, String field) {
        assertProblem(TestServer.getAs("auditor", path), status, type, field);
    }

    @Test
    void anUnsupportedMethodIs405Problem() {
        Answer a =
                TestServer.send(
                        HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/incidents"))
                                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                                .build());
        assertProblem(a, 405, "method-not-allowed", null);
    }
}
