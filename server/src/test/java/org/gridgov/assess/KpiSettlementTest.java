package org.gridgov.assess;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.gridgov.workflow.WorkingCalendar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Settled months (docs/assessment.md): a period's figures are the same whether its months are
 * settled or computed now, for every kind of unit and for a subdistrict's caller; a settled month
 * stands until it is settled again; bad settlements change nothing; the automatic settlement takes
 * exactly the months that are due.
 */
@Tag("db")
class KpiSettlementTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String[] BY = {
        "worker", "grid", "leader", "platform", "agency", "source", "subdistrict"
    };

    /** The month the demo history ends in (not over), and the period asked about. */
    static YearMonth current;

    static String period;

    @BeforeAll
    static void start() {
        TestServer.get();
        current = YearMonth.from(TestDatabase.demoAnchor().atZone(ZONE));
        period = Integer.toString(current.minusMonths(2).getYear());
    }

    @AfterEach
    void unsettle() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            st.execute("DELETE FROM kpi_settled_month");
        }
    }

    /** The answer without what differs by how it was computed (time taken, settled months). */
    static JsonNode figures(String user, String by) {
        Answer a = TestServer.getAs(user, "/api/v1/analytics/kpis?period=" + period + "&by=" + by);
        assertEquals(200, a.status(), user + " by " + by + ": " + a.body());
        ObjectNode n = (ObjectNode) a.json();
        n.remove("computedMs");
        n.remove("settledMonths");
        return n;
    }

    static List<String> settledMonths(String user, String by) {
        Answer a = TestServer.getAs(user, "/api/v1/analytics/kpis?period=" + period + "&by=" + by);
        assertEquals(200, a.status(), a.body());
        List<String> out = new ArrayList<>();
        a.json().get("settledMonths").forEach(m -> out.add(m.asText()));
        return out;
    }

    static Answer settle(String user, String body) {
        return TestServer.postAs(user, "/api/v1/analytics/kpis/settlements", body);
    }

    static String months() {
        Answer a = TestServer.getAs("admin", "/api/v1/analytics/kpis/settlements");
        assertEquals(200, a.status(), a.body());
        return a.json().get("months").toString();
    }

    @Test
    void settledMonthsGiveTheSameFiguresAsComputingThemNow() throws Exception {
        YearMonth a = current.minusMonths(3), b = current.minusMonths(2);
        String[] users = {"admin", "chief"};
        List<JsonNode> before = new ArrayList<>();
        for (String u : users) for (String by : BY) before.add(figures(u, by));
        for (YearMonth m : List.of(a, b)) {
            Answer s = settle("admin", "{\"month\":\"" + m + "\"}");
            assertEquals(200, s.status(), s.body());
            assertEquals(m.toString(), s.json().get("month").asText());
            assertFalse(s.json().has("cases"), "no count of other subdistricts' cases");
            assertEquals(
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM incident WHERE reported_at >= '"
                                    + m.atDay(1).atStartOfDay(ZONE).toOffsetDateTime()
                                    + "' AND reported_at < '"
                                    + m.plusMonths(1).atDay(1).atStartOfDay(ZONE).toOffsetDateTime()
                                    + "'"),
                    TestDatabase.queryLong(
                            "SELECT cases FROM kpi_settled_month WHERE month = '"
                                    + m.atDay(1)
                                    + "'"));
            assertTrue(
                    TestDatabase.queryLong(
                                    "SELECT cases FROM kpi_settled_month WHERE month = '"
                                            + m.atDay(1)
                                            + "'")
                            > 0,
                    "the demo has cases in " + m);
        }
        List<String> expected = new ArrayList<>();
        for (YearMonth m : List.of(a, b))
            if (Integer.toString(m.getYear()).equals(period)) expected.add(m.toString());
        assertEquals(expected, settledMonths("admin", "grid"));
        int i = 0;
        for (String u : users)
            for (String by : BY)
                assertEquals(
                        before.get(i++), figures(u, by), u + " by " + by + ", settled " + expected);
        assertTrue(months().contains("\"" + b + "\""), months());
    }

    @Test
    void aSettledMonthStandsUntilItIsSettledAgain() throws Exception {
        YearMonth m = current.minusMonths(2);
        long id;
        try (Connection c = TestDatabase.get().connection();
                var ps =
                        c.prepareStatement(
                                "SELECT id FROM incident WHERE status = 'CLOSED' AND satisfaction IS NULL"
                                        + " AND subdistrict_id IS NOT NULL AND reported_at >= ? AND"
                                        + " reported_at < ? ORDER BY id LIMIT 1")) {
            ps.setObject(1, m.atDay(1).atStartOfDay(ZONE).toOffsetDateTime());
            ps.setObject(2, m.plusMonths(1).atDay(1).atStartOfDay(ZONE).toOffsetDateTime());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a closed, unrated case in " + m);
                id = rs.getLong(1);
            }
        }
        period = m.toString();
        try {
            long ratings = ratings();
            assertEquals(200, settle("admin", "{\"month\":\"" + m + "\"}").status());
            rate(id, 4);
            try {
                assertEquals(ratings, ratings(), "a settled month stands");
                assertEquals(200, settle("admin", "{\"month\":\"" + m + "\"}").status());
                assertEquals(ratings + 1, ratings(), "settled again, the rating counts");
                try (Connection c = TestDatabase.get().connection();
                        var st = c.createStatement();
                        ResultSet rs =
                                st.executeQuery(
                                        "SELECT count(*) FROM admin_log WHERE kind = 'kpi' AND target = 'kpis/"
                                                + m
                                                + "'")) {
                    rs.next();
                    assertTrue(rs.getLong(1) >= 2, "each settlement is in the admin log");
                }
            } finally {
                rate(id, null);
            }
        } finally {
            period = Integer.toString(current.minusMonths(2).getYear());
        }
    }

    static long ratings() {
        long n = 0;
        for (JsonNode u : figures("admin", "subdistrict").get("units"))
            n += u.get("ratings").asLong();
        return n;
    }

    static void rate(long id, Integer satisfaction) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var ps = c.prepareStatement("UPDATE incident SET satisfaction = ? WHERE id = ?")) {
            ps.setObject(1, satisfaction, java.sql.Types.INTEGER);
            ps.setLong(2, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    void badSettlementsAreRefusedAndChangeNothing() throws Exception {
        YearMonth over = current.minusMonths(1);
        assertEquals(200, settle("admin", "{\"month\":\"" + over + "\"}").status());
        String kept = months();
        String[][] cases = {
            {"admin", "{\"month\":\"" + over.getYear() + "-13\"}", "422", "month"},
            {"admin", "{\"month\":\"2026-1\"}", "422", "month"},
            {"admin", "{\"month\":202610}", "422", "month"},
            {"admin", "{}", "422", "month"},
            {"admin", "{\"month\":\"" + over + "\",\"force\":true}", "422", "force"},
            {"admin", "{\"month\":", "400", null},
            {"admin", "{\"month\":\"" + current + "\"}", "409", "month"},
            {"admin", "{\"month\":\"" + current.plusMonths(5) + "\"}", "409", "month"},
            {"chief", "{\"month\":\"" + over + "\"}", "403", null},
            {"operator", "{\"month\":\"" + over + "\"}", "403", null},
            {"doperator", "{\"month\":\"" + over + "\"}", "403", null},
        };
        for (String[] k : cases) {
            Answer a = settle(k[0], k[1]);
            assertEquals(Integer.parseInt(k[2]), a.status(), k[0] + " " + k[1] + ": " + a.body());
            assertTrue(a.header("Content-Type").startsWith("application/problem+json"), a.body());
            if (k[3] != null) assertTrue(a.body().contains(k[3]), a.body());
        }
        Answer anonymous =
                TestServer.post(
                        "/api/v1/analytics/kpis/settlements", "{\"month\":\"" + over + "\"}");
        assertEquals(401, anonymous.status());
        assertEquals(kept, months(), "nothing settled or changed");
    }

    @Test
    void theAutomaticSettlementTakesTheMonthsDue() throws Exception {
        var ds = TestDatabase.server().dataSource();
        var store =
                new KpiSettlementStore(
                        ds, new KpiCalculator(ds, WorkingCalendar::fromClasspath), ZONE);
        Instant now = TestDatabase.demoAnchor();
        int afterDays = 40;
        YearMonth last = YearMonth.from(now.atZone(ZONE).minusDays(afterDays)).minusMonths(1);
        YearMonth first;
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT min(reported_at) FROM incident")) {
            rs.next();
            first =
                    YearMonth.from(
                            rs.getObject(1, java.time.OffsetDateTime.class)
                                    .atZoneSameInstant(ZONE));
        }
        List<YearMonth> done = store.settleDue(afterDays, now);
        assertFalse(done.isEmpty());
        assertEquals(first, done.get(0), "from the month of the first case");
        assertEquals(
                last, done.get(done.size() - 1), "the last month over for " + afterDays + " days");
        for (int i = 1; i < done.size(); i++)
            assertEquals(done.get(i - 1).plusMonths(1), done.get(i));
        assertEquals(List.of(), store.settleDue(afterDays, now), "nothing left to settle");
        assertEquals(done.size(), store.list().size());
    }
}
