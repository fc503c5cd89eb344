package org.gridgov.accountability;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.api.Lang;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.gridgov.workflow.DeadlineRules;
import org.gridgov.workflow.Scheduler;
import org.gridgov.workflow.WorkingCalendar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The discipline committee's view: cases with known histories, made through the real action API
 * (and the scheduler, driven by the test's clock, for reminders), show up as exactly the findings
 * their histories hold — with the hop count and the people — and a clean case shows up nowhere; the
 * CSV and HTML exports; who may ask; and that every use, and only a use, is logged.
 */
@Tag("db")
class AccountabilityApiTest {

    static final String CAT = "ENF_EXPOSED_GARBAGE";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static double lon, lat;
    static String gridWorker;

    /** passed back (return + transfer), two extensions, two reworks, no owner, reminder, clean */
    static long passed, extended, reworked, ownerless, reminded, clean;

    static String passedAsker, extender, resolver, remindedHandler;

    /** a leader's 督办 the assignee ignores past its dueAt, and one met by resolving in time */
    static long superviseIgnored, superviseMet;

    static String superviseIgnoredHandler;

    static Instant superviseDue;

    /** a coordinated case whose MARKET subtask is reassigned there and back */
    static long juggled;

    static long juggledSubtask;

    static String period;

    @BeforeAll
    static void histories() throws Exception {
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT ST_X(pt), ST_Y(pt), w.username
                     FROM grid g JOIN grid_plan gp ON gp.id = g.plan_id AND gp.status = 'ACTIVE',
                          LATERAL ST_PointOnSurface(g.geom) pt,
                          LATERAL (SELECT username FROM staff s WHERE s.grid_id = g.id
                                   AND s.role = 'GRID_WORKER' AND s.employment = 'FULL_TIME'
                                   ORDER BY s.id LIMIT 1) w
                     ORDER BY g.id LIMIT 1 OFFSET 7""")) {
            rs.next();
            lon = rs.getDouble(1);
            lat = rs.getDouble(2);
            gridWorker = rs.getString(3);
        }
        LocalDate today = LocalDate.now(ZONE);
        period = "from=" + today.minusDays(1) + "&to=" + today.plusDays(60);

        // first the one the scheduler reminds (its ticks fire every timer due by then)
        Object[] e = dispatched();
        reminded = (long) e[0];
        remindedHandler = (String) e[1];
        Instant[] t = timer(reminded);
        Scheduler s =
                new Scheduler(
                        TestDatabase.get().dataSource(),
                        DeadlineRules.fromClasspath(WorkingCalendar.fromClasspath()),
                        500);
        s.tick(t[0]); // REMINDER to the handler, who does nothing ...
        s.tick(t[1]); // ... until the supervision notice, which they answer
        ok(remindedHandler, reminded, "start", "");

        // a chief commander's 督办 due in a few seconds: one assignee does nothing before it is
        // due, the other resolves in time; the histories below run while it falls due
        superviseDue = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        String due = ",\"reason\":\"群众反映强烈\",\"dueAt\":\"" + superviseDue + "\"";
        Object[] g = dispatched();
        superviseIgnored = (long) g[0];
        superviseIgnoredHandler = (String) g[1];
        ok("chief", superviseIgnored, "supervise", due);
        Object[] h = started();
        superviseMet = (long) h[0];
        ok("chief", superviseMet, "supervise", due);
        ok((String) h[1], superviseMet, "resolve", "");

        // returned by its handler, re-dispatched to the market platform, transferred on
        Object[] a = started();
        passed = (long) a[0];
        passedAsker = (String) a[1];
        ok(passedAsker, passed, "request-return", ",\"reason\":\"不属于本平台\"");
        ok("chief", passed, "approve", "");
        ok("operator", passed, "dispatch", ",\"platform\":\"MARKET\"");
        ok("market.commander", passed, "transfer", ",\"platform\":\"ENFORCEMENT\"");

        Object[] b = started();
        extended = (long) b[0];
        extender = (String) b[1];
        ok(extender, extended, "request-extension", ",\"reason\":\"等车辆\",\"extraHours\":8");
        ok("director", extended, "approve", "");
        ok(extender, extended, "request-extension", ",\"reason\":\"再等\",\"extraHours\":8");
        ok("director", extended, "deny", ",\"note\":\"不再延期\"");

        Object[] c = started();
        reworked = (long) c[0];
        resolver = (String) c[1];
        for (int i = 0; i < 2; i++) {
            ok(resolver, reworked, "resolve", "");
            ok(gridWorker, reworked, "rework", ",\"note\":\"仍有垃圾\"");
        }

        Object[] j = started();
        juggled = (long) j[0];
        JsonNode co = ok("chief", juggled, "coordinate", ",\"platforms\":[\"MARKET\"]");
        JsonNode market = co.at("/case/subtasks/1");
        assertEquals("MARKET", market.get("platform").asText(), co.toString());
        juggledSubtask = market.get("id").asLong();
        long first = market.get("assigneeId").asLong();
        long second =
                TestDatabase.queryLong(
                        "SELECT id FROM staff WHERE role = 'PLATFORM_HANDLER'"
                                + " AND platform = 'MARKET' AND id <> "
                                + first
                                + " ORDER BY id LIMIT 1");
        for (long to : new long[] {second, first}) {
            Answer re =
                    TestServer.postAs(
                            "market.commander",
                            "/api/v1/incidents/"
                                    + juggled
                                    + "/subtasks/"
                                    + juggledSubtask
                                    + "/actions",
                            "{\"action\":\"reassign\",\"expectedVersion\":%d,\"assigneeId\":%d}"
                                    .formatted(version(juggled), to));
            assertEquals(200, re.status(), re.body());
        }

        Object[] d = started();
        ownerless = (long) d[0];
        ok((String) d[1], ownerless, "request-return", ",\"reason\":\"不归我们\"");
        ok("chief", ownerless, "approve", "");

        Object[] f = started();
        clean = (long) f[0];
        ok((String) f[1], clean, "resolve", "");
        ok(gridWorker, clean, "verify", "");
        ok("operator", clean, "close", "");

        long wait = superviseDue.toEpochMilli() - System.currentTimeMillis() + 500;
        if (wait > 0) Thread.sleep(wait);
    }

    static long report() {
        Answer a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        """
                {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s},
                 "description": "问责测试"}"""
                                .formatted(CAT, lon, lat));
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asLong();
    }

    static int version(long id) {
        return TestServer.getAs("director", "/api/v1/incidents/" + id)
                .json()
                .get("version")
                .asInt();
    }

    /** Acts on the case's current version; expects success. */
    static JsonNode ok(String user, long id, String action, String fields) {
        Answer a =
                TestServer.postAs(
                        user,
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"%s\",\"expectedVersion\":%d%s}"
                                .formatted(action, version(id), fields));
        assertEquals(200, a.status(), user + " " + action + " -> " + a.body());
        return a.json();
    }

    static String username(long staffId) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT username FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    /** A case accepted and dispatched by rule: {id, its handler's username}. */
    static Object[] dispatched() throws Exception {
        long id = report();
        ok("operator", id, "accept", "");
        JsonNode d = ok("operator", id, "dispatch", "");
        return new Object[] {id, username(d.at("/routing/assigneeId").asLong())};
    }

    /** ... and started by its handler. */
    static Object[] started() throws Exception {
        Object[] c = dispatched();
        ok((String) c[1], (long) c[0], "start", "");
        return c;
    }

    /** The live timer's reminder time and step deadline. */
    static Instant[] timer(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT kind, fire_at, step_due_at FROM case_timer"
                                        + " WHERE incident_id = ? AND state = 'PENDING'")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("REMIND", rs.getString(1));
                return new Instant[] {
                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getObject(3, OffsetDateTime.class).toInstant()
                };
            }
        }
    }

    static Answer ask(String user, String query) {
        return TestServer.getAs(user, "/api/v1/accountability?" + period + "&limit=10000" + query);
    }

    static JsonNode finding(JsonNode answer, String kind, long id) {
        for (JsonNode f : answer.get("findings"))
            if (f.get("kind").asText().equals(kind) && f.get("incidentId").asLong() == id) return f;
        return null;
    }

    static List<String> kindsOf(JsonNode answer, long id) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : answer.get("findings"))
            if (f.get("incidentId").asLong() == id) out.add(f.get("kind").asText());
        return out;
    }

    static boolean names(JsonNode f, String username, String part) throws Exception {
        long id =
                TestDatabase.queryLong("SELECT id FROM staff WHERE username = '" + username + "'");
        for (JsonNode p : f.get("people"))
            if (p.get("id").asLong() == id && p.get("part").asText().equals(part)) return true;
        return false;
    }

    @Test
    void eachHistoryShowsItsFindingsAndACleanCaseNone() throws Exception {
        Answer a = ask("auditor", "&by=person");
        assertEquals(200, a.status(), a.body());
        JsonNode n = a.json();

        JsonNode p = finding(n, "passed-back", passed);
        assertNotNull(p, "the returned and transferred case: " + kindsOf(n, passed));
        assertEquals(2, p.get("measure").asInt(), "two hops");
        assertEquals("/api/v1/incidents/" + passed + "/events", p.get("history").asText());
        assertEquals("RETURN_APPROVED", p.at("/steps/0/type").asText());
        assertEquals("TRANSFER", p.at("/steps/1/type").asText());
        assertEquals("MARKET", p.at("/steps/1/fromPlatform").asText());
        assertEquals("ENFORCEMENT", p.at("/steps/1/toPlatform").asText());
        assertTrue(names(p, passedAsker, "asked-return"), p.toString());
        assertTrue(names(p, "chief", "approved-return"), p.toString());
        assertTrue(names(p, "market.commander", "transferred"), p.toString());
        assertEquals("CHIEF_COMMANDER", p.at("/steps/0/byRole").asText());
        assertFalse(p.at("/steps/0/byName").asText().isEmpty());

        JsonNode x = finding(n, "repeated-extension", extended);
        assertNotNull(x, kindsOf(n, extended).toString());
        assertEquals(2, x.get("measure").asInt());
        assertEquals("APPROVED", x.at("/steps/0/decision").asText());
        assertEquals("DENIED", x.at("/steps/1/decision").asText());
        assertTrue(names(x, extender, "requested-extension"), x.toString());

        JsonNode r = finding(n, "repeated-rework", reworked);
        assertNotNull(r, kindsOf(n, reworked).toString());
        assertEquals(2, r.get("measure").asInt());
        assertTrue(names(r, resolver, "resolved"), r.toString());
        assertTrue(names(r, gridWorker, "failed-verification"), r.toString());

        JsonNode i = finding(n, "ignored-notice", reminded);
        assertNotNull(i, "the ignored reminder: " + kindsOf(n, reminded));
        assertEquals(1, i.get("measure").asInt(), "the supervision notice was answered");
        assertEquals("REMINDER", i.at("/steps/0/type").asText());
        assertTrue(names(i, remindedHandler, "addressee"), i.toString());

        JsonNode sv = finding(n, "ignored-notice", superviseIgnored);
        assertNotNull(sv, "the ignored 督办: " + kindsOf(n, superviseIgnored));
        assertEquals(1, sv.get("measure").asInt(), sv.toString());
        assertEquals("SUPERVISE", sv.at("/steps/0/type").asText());
        assertEquals("群众反映强烈", sv.at("/steps/0/reason").asText());
        assertEquals(superviseDue, Instant.parse(sv.at("/steps/0/deadline").asText()));
        assertEquals("CHIEF_COMMANDER", sv.at("/steps/0/byRole").asText());
        assertTrue(names(sv, superviseIgnoredHandler, "addressee"), sv.toString());
        assertTrue(names(sv, "chief", "supervised"), sv.toString());
        assertEquals(List.of(), kindsOf(n, superviseMet), "a 督办 met in time is no finding");

        assertNull(finding(n, "no-owner", ownerless), "under a day without owner: not yet");
        JsonNode o =
                finding(
                        ask("auditor", "&kind=no-owner&noOwnerHours=0").json(),
                        "no-owner",
                        ownerless);
        assertNotNull(o, "any time without owner, when the threshold is 0");
        JsonNode queued = null;
        for (JsonNode step : o.get("steps"))
            if (step.get("type").asText().equals("RETURN_APPROVED")) queued = step;
        assertNotNull(queued, o.toString());
        assertTrue(queued.get("open").asBoolean(), "still in the no-owner queue");
        assertTrue(o.at("/steps/0/hours").asDouble() < 1, "dispatched soon after acceptance");
        assertTrue(names(o, "chief", "approved-return"), o.toString());

        JsonNode js = finding(n, "passed-back", juggled);
        assertNotNull(js, "the subtask passed there and back: " + kindsOf(n, juggled));
        assertEquals(2, js.get("measure").asInt(), js.toString());
        assertEquals("SUBTASK_REASSIGNED", js.at("/steps/0/type").asText());
        assertEquals("MARKET", js.at("/steps/1/fromPlatform").asText());
        assertEquals("MARKET", js.at("/steps/1/toPlatform").asText());
        assertEquals(juggledSubtask, js.at("/steps/1/subtaskId").asLong());
        assertTrue(names(js, "market.commander", "reassigned-subtask"), js.toString());

        assertEquals(List.of(), kindsOf(n, clean), "a clean case is no finding");
        assertEquals(1, kindsOf(n, passed).size(), kindsOf(n, passed).toString());

        // one hop is not "back and forth"; one is enough when asked so
        assertNull(finding(ask("auditor", "&minHops=3").json(), "passed-back", passed));
        assertNotNull(
                finding(
                        ask("auditor", "&kind=passed-back&minHops=1").json(),
                        "passed-back",
                        passed));

        // grouped by person: the handler who asked to return counts it
        long askerId =
                TestDatabase.queryLong(
                        "SELECT id FROM staff WHERE username = '" + passedAsker + "'");
        boolean grouped = false;
        for (JsonNode g : n.get("groups"))
            if (g.get("key").asText().equals("" + askerId))
                grouped = g.at("/counts/passed-back").asInt() >= 1;
        assertTrue(grouped, n.get("groups").toString());
    }

    @Test
    void groupsByPlatformAgencyAndGrid() {
        for (String by : List.of("platform", "agency", "grid")) {
            JsonNode n = ask("admin", "&by=" + by + "&kind=repeated-rework").json();
            assertEquals(by, n.get("by").asText());
            assertEquals(List.of("repeated-rework"), List.of(n.get("kinds").get(0).asText()));
            JsonNode f = finding(n, "repeated-rework", reworked);
            assertNotNull(f, by);
            String key =
                    switch (by) {
                        case "platform" -> f.get("platform").asText();
                        case "agency" -> f.at("/agency/id").asText();
                        default -> f.at("/grid/code").asText();
                    };
            assertFalse(key.isEmpty(), f.toString());
            boolean found = false;
            for (JsonNode g : n.get("groups"))
                found |=
                        g.get("key").asText().equals(key)
                                && g.at("/counts/repeated-rework").asInt() >= 1;
            assertTrue(found, by + ": " + n.get("groups"));
        }
    }

    @Test
    void csvAndPrintableHtml() {
        Answer csv =
                TestServer.getAs(
                        "auditor", "/api/v1/accountability.csv?" + period + "&kind=passed-back");
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertTrue(csv.body().startsWith("\uFEFF问题类型,案件编号"), csv.body());
        assertTrue(csv.body().contains("\r\n来回推诿," + passed + ","), csv.body());
        assertTrue(csv.body().contains("/api/v1/incidents/" + passed + "/events"));
        Answer en =
                TestServer.getAs(
                        "auditor",
                        "/api/v1/accountability.csv?" + period + "&kind=passed-back&lang=en");
        assertTrue(en.body().startsWith("\uFEFFFinding,Case,"), en.body());
        assertTrue(en.body().contains("\"Passed back and forth\"," + passed + ","), en.body());

        Answer html = TestServer.getAs("admin", "/api/v1/accountability.html?" + period);
        assertEquals(200, html.status(), html.body());
        assertTrue(html.contentType().startsWith("text/html"), html.contentType());
        String h = html.body();
        assertTrue(h.contains("<html lang=\"zh-CN\">"), h);
        assertTrue(h.contains("@media print") && h.contains("@page"), "print CSS");
        for (FindingKind k : FindingKind.values())
            assertTrue(h.contains("<h2 id=\"" + k.wire + "\">" + k.label(Lang.ZH)), k.wire);
        assertTrue(h.contains("<a href=\"/api/v1/incidents/" + passed + "/events\">"), "links");
        String hen =
                TestServer.getAs("admin", "/api/v1/accountability.html?" + period + "&lang=en")
                        .body();
        assertTrue(hen.contains("<html lang=\"en\">") && hen.contains("Passed back and forth"));
    }

    @Test
    void onlyAuditorsAndAdminsMayAsk() {
        for (String path :
                List.of(
                        "/api/v1/accountability",
                        "/api/v1/accountability.csv",
                        "/api/v1/accountability.html")) {
            assertEquals(401, TestServer.get(path + "?period=2026-Q4").status(), path);
            for (String user : List.of("director", "chief", "operator", "market.commander"))
                assertEquals(
                        403,
                        TestServer.getAs(user, path + "?period=2026-Q4").status(),
                        user + " " + path);
            assertEquals(200, TestServer.getAs("auditor", path + "?period=2026-Q4").status());
            assertEquals(200, TestServer.getAs("admin", path + "?period=2026-Q4").status());
        }
    }

    static long uses() throws Exception {
        return TestDatabase.queryLong(
                "SELECT count(*) FROM admin_log WHERE kind = 'accountability'");
    }

    @Test
    void everyUseIsLoggedAndARefusedOneIsNot() throws Exception {
        long before = uses();
        assertEquals(200, ask("auditor", "&by=grid&kind=no-owner").status());
        assertEquals(before + 1, uses());
        JsonNode e =
                TestServer.getAs("admin", "/api/v1/audit?kind=accountability&limit=1")
                        .json()
                        .at("/entries/0");
        assertEquals("accountability", e.get("kind").asText());
        assertEquals(
                TestDatabase.queryLong("SELECT id FROM staff WHERE username = 'auditor'"),
                e.get("actorStaffId").asLong());
        assertTrue(e.get("target").asText().startsWith("/api/v1/accountability?"), e.toString());
        assertEquals("grid", e.at("/change/query/by").asText(), e.toString());
        assertEquals("no-owner", e.at("/change/query/kinds/0").asText(), e.toString());
        assertEquals("json", e.at("/change/format").asText());

        TestServer.getAs("auditor", "/api/v1/accountability.csv?period=2026-Q4");
        TestServer.getAs("auditor", "/api/v1/accountability.html?period=2026-Q4");
        assertEquals(before + 3, uses(), "the exports are logged too");
        assertEquals(
                "html",
                TestServer.getAs("auditor", "/api/v1/audit?kind=accountability&limit=1")
                        .json()
                        .at("/entries/0/change/format")
                        .asText());

        TestServer.getAs("director", "/api/v1/accountability?period=2026-Q4");
        TestServer.getAs("auditor", "/api/v1/accountability?period=2026-Q5");
        assertEquals(before + 3, uses(), "a refused question is not a use");
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() throws Exception {
        long before = uses();
        String[][] bad = {
            {"period=2026-Q5", "period"},
            {"period=last-year", "period"},
            {"", "from"},
            {"from=2026-10-01", "to"},
            {"from=2026-10-01&to=2026-09-01", "to"},
            {"from=2025-01-01&to=2026-06-01", "to"},
            {"from=yesterday&to=2026-09-01", "from"},
            {"period=2026-Q4&from=2026-10-01", "period"},
            {"period=2026-Q4&by=street", "by"},
            {"period=2026-Q4&kind=passed-back,laziness", "kind"},
            {"period=2026-Q4&minHops=0", "minHops"},
            {"period=2026-Q4&noOwnerHours=-1", "noOwnerHours"},
            {"period=2026-Q4&lang=fr", "lang"},
            {"period=2026-Q4&limit=0", "limit"},
            {"period=2026-Q4&period=2026-Q3", "period"}
        };
        for (String[] b : bad) {
            for (String path : List.of("/api/v1/accountability", "/api/v1/accountability.csv")) {
                Answer a = TestServer.getAs("auditor", path + "?" + b[0]);
                assertEquals(400, a.status(), b[0] + " " + a.body());
                assertTrue(a.contentType().startsWith("application/problem+json"), b[0]);
                assertTrue(a.body().contains(b[1]), b[0] + " names " + b[1] + ": " + a.body());
            }
        }
        assertEquals(before, uses(), "nothing is logged for a refused question");
        JsonNode ok = TestServer.getAs("auditor", "/api/v1/accountability?period=2026-Q4").json();
        assertEquals("2026-Q4", ok.get("period").asText());
        assertEquals("2026-10-01T00:00+08:00", ok.get("from").asText());
        assertEquals("platform", ok.get("by").asText());
        assertEquals(5, ok.get("kinds").size());
    }
}
