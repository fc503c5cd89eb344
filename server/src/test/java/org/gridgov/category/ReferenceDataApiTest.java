package org.gridgov.category;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Categories and the working calendar as versioned data, over real HTTP and PostgreSQL: edits by
 * ADMIN take effect at their effectiveFrom, are kept with their history, go out and come back as
 * Excel's CSV, bad ones change nothing, and a case keeps the category it was reported under. Every
 * test leaves the version in force equal to the seed (other tests compare with gis-data).
 */
@Tag("db")
class ReferenceDataApiTest {

    static String category;
    static int hours;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        category = DemoFixture.subdistrictCategory();
        hours = CategoryCatalog.fromClasspath().find(category).orElseThrow().deadlineHours();
    }

    static Answer send(String method, String path, String body, String type) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + TestServer.token("admin"));
        if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .header("Content-Type", type);
        return TestServer.send(b.build());
    }

    static Answer admin(String method, String path, String json) {
        return send(method, path, json, "application/json");
    }

    static int versions(String kind) {
        Answer h = TestServer.getAs("admin", "/api/v1/reference/" + kind + "/history");
        assertEquals(200, h.status(), h.body());
        return h.json().get("versions").size();
    }

    static JsonNode categoryNow(String code, String at) {
        Answer a = TestServer.get("/api/v1/categories" + (at == null ? "" : "?at=" + at));
        assertEquals(200, a.status(), a.body());
        for (JsonNode c : a.json().get("categories"))
            if (c.get("code").asText().equals(code)) return c;
        return null;
    }

    static Duration deadlineOf(Answer created) {
        assertEquals(201, created.status(), created.body());
        return Duration.between(
                OffsetDateTime.parse(created.json().get("reportedAt").asText()),
                OffsetDateTime.parse(created.json().at("/routing/dueAt").asText()));
    }

    @Test
    void aCaseKeepsTheDeadlineOfTheCategoryInForceWhenItWasReported() {
        Answer before =
                TestServer.postAs("operator", "/api/v1/incidents", DemoFixture.report(category));
        assertEquals(Duration.ofHours(hours), deadlineOf(before));
        long id = before.json().get("id").asLong();

        Answer changed =
                admin(
                        "PATCH",
                        "/api/v1/categories/" + category,
                        "{\"deadlineHours\": " + (hours + 5) + ", \"note\": \"test: longer\"}");
        assertEquals(200, changed.status(), changed.body());
        assertEquals(hours + 5, changed.json().at("/category/deadlineHours").asInt());
        Instant changedAt = Instant.parse(changed.json().get("effectiveFrom").asText());
        try {
            Answer after =
                    TestServer.postAs(
                            "operator", "/api/v1/incidents", DemoFixture.report(category));
            assertEquals(
                    Duration.ofHours(hours + 5), deadlineOf(after), "a new case: the new rule");
            // a report entered now but made before the change keeps the old deadline
            String earlier = changedAt.minusSeconds(30).atOffset(ZoneOffset.UTC).toString();
            Answer late =
                    TestServer.postAs(
                            "operator",
                            "/api/v1/incidents",
                            DemoFixture.report(category)
                                    .replace(
                                            "\"channel\"",
                                            "\"reportedAt\": \"" + earlier + "\", \"channel\""));
            assertEquals(Duration.ofHours(hours), deadlineOf(late), "back-dated: the old rule");
            // the first case's deadline did not move
            Answer first = TestServer.getAs("admin", "/api/v1/incidents/" + id);
            assertEquals(
                    before.json().at("/routing/dueAt").asText(),
                    first.json().at("/routing/dueAt").asText());
            // ?at= shows the taxonomy as it was
            assertEquals(
                    hours,
                    categoryNow(category, changedAt.minusSeconds(30).toString())
                            .get("deadlineHours")
                            .asInt());
            assertEquals(hours + 5, categoryNow(category, null).get("deadlineHours").asInt());
        } finally {
            Answer back =
                    admin(
                            "PATCH",
                            "/api/v1/categories/" + category,
                            "{\"deadlineHours\": " + hours + "}");
            assertEquals(200, back.status(), back.body());
        }
        assertEquals(hours, categoryNow(category, null).get("deadlineHours").asInt());
    }

    @Test
    void badCategoryEditsAreRefusedAndChangeNothing() throws Exception {
        int n = versions("categories");
        String base =
                "{\"code\": \"TST_BAD\", \"platform\": \"%s\", \"nameZh\": \"测试\","
                        + " \"nameEn\": \"Test\", \"deadlineHours\": %s, \"weight\": 1,"
                        + " \"authority\": \"SUBDISTRICT\", \"urgency\": \"NORMAL\","
                        + " \"public\": false%s}";
        Answer platform = admin("POST", "/api/v1/categories", base.formatted("MOON", 24, ""));
        assertProblem(platform, 422, "/platform", "unknown platform 'MOON'");
        Answer negative = admin("POST", "/api/v1/categories", base.formatted("SERVICE", -3, ""));
        assertProblem(negative, 422, "/deadlineHours", "positive");
        Answer past =
                admin(
                        "POST",
                        "/api/v1/categories",
                        base.formatted(
                                "SERVICE", 24, ", \"effectiveFrom\": \"2020-01-01T00:00:00Z\""));
        assertProblem(past, 422, "/effectiveFrom", "in the past");
        Answer missing =
                admin("POST", "/api/v1/categories", "{\"code\": \"TST_BAD\", \"weight\": 1}");
        assertEquals(422, missing.status(), missing.body());
        Answer exists =
                admin(
                        "POST",
                        "/api/v1/categories",
                        base.formatted("SERVICE", 24, "").replace("TST_BAD", category));
        assertProblem(exists, 409, "/code", "already");
        // a code cases use cannot go, nor be recoded
        Answer delete = admin("DELETE", "/api/v1/categories/" + category, null);
        assertProblem(delete, 409, null, category);
        Answer recode =
                admin("PATCH", "/api/v1/categories/" + category, "{\"code\": \"TST_RENAMED\"}");
        assertProblem(recode, 409, null, "cases refer to it");
        Answer unknown = admin("PATCH", "/api/v1/categories/NO_SUCH", "{\"weight\": 2}");
        assertEquals(404, unknown.status(), unknown.body());
        Answer operator =
                TestServer.postAs(
                        "operator", "/api/v1/categories", base.formatted("SERVICE", 1, ""));
        assertEquals(403, operator.status(), operator.body());
        assertEquals(n, versions("categories"), "nothing was written");
        assertNull(categoryNow("TST_BAD", null));
    }

    static void assertProblem(Answer a, int status, String field, String detail) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        if (field != null) assertEquals(field, a.json().path("field").asText(null), a.body());
        assertTrue(a.json().get("detail").asText().contains(detail), a.body());
    }

    @Test
    void anEditDatedAheadTakesEffectThenAndHistoryKeepsEveryVersion() throws Exception {
        Answer added =
                admin(
                        "POST",
                        "/api/v1/categories",
                        """
                        {"code": "TST_LATER", "platform": "SERVICE", "nameZh": "测试", "nameEn": "Before",
                         "deadlineHours": 24, "weight": 1.5, "authority": "SUBDISTRICT",
                         "urgency": "NORMAL", "public": false}""");
        assertEquals(201, added.status(), added.body());
        Instant at = Instant.now().plusSeconds(2);
        Answer later =
                admin(
                        "PATCH",
                        "/api/v1/categories/TST_LATER",
                        "{\"nameEn\": \"After\", \"effectiveFrom\": \"" + at + "\"}");
        assertEquals(200, later.status(), later.body());
        assertEquals("Before", categoryNow("TST_LATER", null).get("nameEn").asText());
        assertEquals("After", categoryNow("TST_LATER", at.toString()).get("nameEn").asText());
        Answer history = TestServer.getAs("admin", "/api/v1/reference/categories/history");
        JsonNode last =
                history.json().get("versions").get(history.json().get("versions").size() - 1);
        assertEquals(later.json().get("version").asLong(), last.get("version").asLong());
        assertFalse(last.get("inForce").asBoolean(), "dated ahead: not yet in force");
        assertEquals(
                TestDatabase.queryLong("SELECT id FROM staff WHERE username = 'admin'"),
                last.get("createdBy").asLong());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"After".equals(categoryNow("TST_LATER", null).get("nameEn").asText())) {
            assertTrue(System.currentTimeMillis() < deadline, "the dated edit never took effect");
            Thread.sleep(100);
        }
        Answer gone = admin("DELETE", "/api/v1/categories/TST_LATER", null);
        assertEquals(200, gone.status(), gone.body());
        assertNull(categoryNow("TST_LATER", null));
        // the version read back at a past time still has it
        assertNotNull(categoryNow("TST_LATER", at.toString()));
    }

    @Test
    void categoriesGoOutAndComeBackAsExcelsCsv() throws Exception {
        Answer out = TestServer.getAs("admin", "/api/v1/reference/categories/csv");
        assertEquals(200, out.status());
        assertTrue(out.contentType().startsWith("text/csv"));
        String csv = out.body();
        assertTrue(csv.startsWith("\uFEFFcode,platform,"), "a byte order mark, then the header");
        assertTrue(csv.contains("\r\n"), "CRLF, as Excel writes");
        int n = versions("categories");
        // as Excel saves it: a quoted name with a comma and a doubled quote
        String excel =
                csv
                        + "TST_CSV,SERVICE,夜间噪声,\"Noise, at night (\"\"loud\"\")\",12,1.25,"
                        + "SUBDISTRICT,NORMAL,false,false\r\n";
        Answer in = send("PUT", "/api/v1/reference/categories/csv?note=excel", excel, "text/csv");
        assertEquals(201, in.status(), in.body());
        assertEquals(n + 1, versions("categories"));
        JsonNode c = categoryNow("TST_CSV", null);
        assertEquals("Noise, at night (\"loud\")", c.get("nameEn").asText());
        assertEquals(1.25, c.get("weight").asDouble());
        assertTrue(
                TestServer.getAs("admin", "/api/v1/reference/categories/csv")
                        .body()
                        .contains("\"Noise, at night (\"\"loud\"\")\""),
                "the export quotes it again");

        // a bad cell: the line and column, nothing written
        String bad = excel.replace("TST_CSV,SERVICE", "TST_CSV,MOON");
        Answer refused = send("PUT", "/api/v1/reference/categories/csv", bad, "text/csv");
        int line = excel.split("\r\n").length;
        assertProblem(refused, 422, "platform", "line " + line + ", column platform");
        // a file without a category cases use
        String dropped =
                String.join(
                        "\r\n",
                        java.util.Arrays.stream(csv.split("\r\n"))
                                .filter(l -> !l.startsWith(category + ","))
                                .toList());
        Answer inUse = send("PUT", "/api/v1/reference/categories/csv", dropped, "text/csv");
        assertProblem(inUse, 409, null, category);
        Answer json = send("PUT", "/api/v1/reference/categories/csv", "{}", "application/json");
        assertEquals(415, json.status(), json.body());
        assertEquals(n + 1, versions("categories"), "the refused imports wrote nothing");

        // the file as it was: TST_CSV (no case uses it) goes again
        Answer back = send("PUT", "/api/v1/reference/categories/csv", csv, "text/csv");
        assertEquals(201, back.status(), back.body());
        assertNull(categoryNow("TST_CSV", null));
        assertEquals(
                CategoryCatalog.fromClasspath().all().size(),
                TestServer.get("/api/v1/categories").json().get("categories").size());
    }

    @Test
    void theCalendarIsEditedYearByYearAndNoYearGoesMissing() {
        Answer years = TestServer.getAs("operator", "/api/v1/reference/calendar/years");
        assertEquals(200, years.status(), years.body());
        assertEquals("Asia/Shanghai", years.json().get("zone").asText());
        JsonNode list = years.json().get("years");
        int last = list.get(list.size() - 1).get("year").asInt();
        int n = versions("calendar");

        Answer gap =
                admin(
                        "PUT",
                        "/api/v1/reference/calendar/years/" + (last + 2),
                        "{\"holidays\": [\"" + (last + 2) + "-01-01\"]}");
        assertProblem(gap, 422, null, "year " + (last + 1) + " is missing");
        int next = last + 1;
        java.time.LocalDate monday =
                java.time.LocalDate.of(next, 3, 1)
                        .with(
                                java.time.temporal.TemporalAdjusters.nextOrSame(
                                        java.time.DayOfWeek.MONDAY));
        Answer weekday =
                admin(
                        "PUT",
                        "/api/v1/reference/calendar/years/" + next,
                        "{\"holidays\": [\"%d-01-01\"], \"workdays\": [\"%s\"]}"
                                .formatted(next, monday));
        assertProblem(weekday, 422, null, monday + " is a MONDAY");
        Answer outside =
                admin(
                        "PUT",
                        "/api/v1/reference/calendar/years/" + next,
                        "{\"holidays\": [\"%d-01-01\"]}".formatted(next + 1));
        assertProblem(outside, 422, "/holidays/0", "not in " + next);
        Answer past = admin("DELETE", "/api/v1/reference/calendar/years/" + (last - 1), null);
        assertProblem(past, 422, null, "past years stay");
        assertEquals(n, versions("calendar"), "nothing written");

        Answer added =
                admin(
                        "PUT",
                        "/api/v1/reference/calendar/years/" + (last + 1),
                        """
                        {"holidays": ["%1$d-01-01", "%1$d-10-01"], "workdays": ["%2$s"], "note": "test"}"""
                                .formatted(last + 1, saturday(last + 1)));
        assertEquals(200, added.status(), added.body());
        Answer shown = TestServer.getAs("operator", "/api/v1/reference/calendar/years");
        JsonNode y = shown.json().get("years").get(shown.json().get("years").size() - 1);
        assertEquals(last + 1, y.get("year").asInt());
        assertEquals(saturday(last + 1), y.at("/workdays/0").asText());
        // the year in force now cannot go while a later one stays: a year would be missing
        Answer middle = admin("DELETE", "/api/v1/reference/calendar/years/" + last, null);
        assertProblem(middle, 422, null, "is missing");
        Answer removed = admin("DELETE", "/api/v1/reference/calendar/years/" + (last + 1), null);
        assertEquals(200, removed.status(), removed.body());
        assertEquals(n + 2, versions("calendar"));
    }

    static String saturday(int year) {
        return java.time.LocalDate.of(year, 3, 1)
                .with(java.time.temporal.TemporalAdjusters.nextOrSame(java.time.DayOfWeek.SATURDAY))
                .toString();
    }

    @Test
    void anotherInstanceReadsTheChangeByItsVersionNumber() throws Exception {
        ReferenceData other =
                new ReferenceData(new ReferenceStore(TestDatabase.get().dataSource()));
        Versioned<CategorySet> theirs = other.register(CategoryCatalog.KIND);
        assertFalse(other.refreshIfChanged(), "nothing changed yet");
        long before = theirs.versionAt(Instant.now()).id();
        Answer a =
                admin(
                        "PATCH",
                        "/api/v1/categories/" + category,
                        "{\"nameEn\": \"Renamed for a moment\"}");
        assertEquals(200, a.status(), a.body());
        try {
            assertTrue(other.refreshIfChanged());
            assertNotEquals(before, theirs.versionAt(Instant.now()).id());
            assertEquals(
                    "Renamed for a moment", theirs.current().find(category).orElseThrow().nameEn());
        } finally {
            String name = CategoryCatalog.fromClasspath().find(category).orElseThrow().nameEn();
            assertEquals(
                    200,
                    admin(
                                    "PATCH",
                                    "/api/v1/categories/" + category,
                                    "{\"nameEn\": \"" + name + "\"}")
                            .status());
        }
    }

    @Test
    void theGenericApiListsEveryKindAndRefusesBadRows() {
        Answer kinds = TestServer.getAs("auditor", "/api/v1/reference");
        assertEquals(200, kinds.status(), kinds.body());
        assertEquals(
                6,
                kinds.json().get("kinds").size()); // with hotline-categories (docs/workorders.md)
        Answer deadlines = TestServer.getAs("auditor", "/api/v1/reference/deadlines");
        assertEquals(200, deadlines.status());
        assertTrue(deadlines.json().at("/rows/0/limit").isNumber(), deadlines.body());
        int n = versions("deadlines");
        Answer noDefault =
                admin(
                        "PUT",
                        "/api/v1/reference/deadlines",
                        """
                        {"rows": [{"category": "*", "urgency": "*", "step": "ACCEPT", "limit": 2,
                          "unit": "WH", "remindBefore": 0, "escalateAfter": 0, "escalateTo": "CHIEF"}]}""");
        assertProblem(noDefault, 422, null, "no default rule");
        Answer negative =
                admin(
                        "PUT",
                        "/api/v1/reference/deadlines",
                        """
                        {"rows": [{"category": "*", "urgency": "*", "step": "ACCEPT", "limit": -2,
                          "unit": "WH", "remindBefore": 0, "escalateAfter": 0, "escalateTo": "CHIEF"}]}""");
        assertProblem(negative, 422, "/rows/0/limit", "positive");
        assertEquals(n, versions("deadlines"));
        Answer indicator =
                admin(
                        "PUT",
                        "/api/v1/reference/scoring",
                        """
                        {"rows": [{"indicator": "reportCount", "points": 10, "target": 0,
                          "perPointBelow": 0, "perEvent": 0}]}""");
        assertProblem(indicator, 422, "/rows/0/indicator", "'reportCount' is not one of");
        Answer kpis = TestServer.getAs("director", "/api/v1/analytics/kpis?period=2026");
        assertEquals(200, kpis.status(), kpis.body());
        assertEquals(
                TestServer.getAs("admin", "/api/v1/reference/scoring").json().get("version"),
                kpis.json().get("scoringVersion"),
                "a period is scored by the scheme in force at its end");
        assertEquals(404, TestServer.getAs("admin", "/api/v1/reference/nonsense").status());
    }
}
