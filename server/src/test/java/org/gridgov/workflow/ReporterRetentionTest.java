package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.ok;
import static org.gridgov.workflow.Cases.report;
import static org.gridgov.workflow.Cases.username;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.ReporterRetention;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GRIDGOV_REPORTER_RETENTION_DAYS (docs/personal-data.md): the job erases a reporter's name and
 * phone, and the case's followers, once the case has been closed longer than the setting; nothing
 * else of the case, and no count, changes; a case closed recently keeps them. Run as the server's
 * own database role, against the real schema.
 */
@Tag("db")
class ReporterRetentionTest {

    static final String CAT = "ENF_EXPOSED_GARBAGE";

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
    }

    /** Takes a new case through the whole loop to CLOSED; returns its id. */
    private static long closedCase() throws Exception {
        long id = report(CAT).get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        JsonNode d = ok("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        String handler = username(d.at("/routing/assigneeId").asLong());
        ok(handler, id, "{\"action\":\"start\",\"expectedVersion\":3}");
        ok(handler, id, "{\"action\":\"resolve\",\"expectedVersion\":4}");
        ok(Cases.gridWorker, id, "{\"action\":\"verify\",\"expectedVersion\":5}");
        JsonNode closed = ok("operator", id, "{\"action\":\"close\",\"expectedVersion\":6}");
        assertEquals("CLOSED", closed.get("status").asText());
        return id;
    }

    @Test
    void reportersOfCasesClosedLongAgoAreErasedAndNothingElseChanges() throws Exception {
        long old = closedCase(), recent = closedCase();
        long open = report(CAT).get("id").asLong();
        // the case closed "400 days ago" (its closing moved back, as if time had passed)
        exec("UPDATE incident SET closed_at = closed_at - interval '400 days' WHERE id = " + old);
        // a follower (a phone, personal data too) on the old case
        exec(
                "INSERT INTO incident_follow (incident_id, follower) VALUES ("
                        + old
                        + ", 'phone:13912345678')");

        String oldBefore = row(old), recentBefore = row(recent), openBefore = row(open);
        String countsBefore = counts(old, recent, open);
        assertTrue(oldBefore.contains("\"reporter_phone\": \"13900000000\""), oldBefore);

        int n =
                new ReporterRetention(new IncidentStore(TestDatabase.server().dataSource()), 365)
                        .run(Instant.now());
        assertTrue(n >= 1, "at least the old case is anonymised: " + n);

        String oldAfter = row(old);
        assertTrue(oldAfter.contains("\"reporter_name\": null"), oldAfter);
        assertTrue(oldAfter.contains("\"reporter_phone\": null"), oldAfter);
        assertEquals(
                withoutReporter(oldBefore),
                withoutReporter(oldAfter),
                "nothing else of the case changed (version, updated_at, status, times)");
        assertEquals(0, TestDatabase.queryLong(followers(old)), "its followers are gone");
        assertEquals(recentBefore, row(recent), "a case closed recently keeps its reporter");
        assertEquals(openBefore, row(open), "an open case keeps its reporter");
        assertEquals(
                countsBefore, counts(old, recent, open), "no case, event or timer came or went");

        // the API: the reporter is simply absent now, for everyone
        JsonNode a = TestServer.getAs("operator", "/api/v1/incidents/" + old).json();
        assertTrue(a.path("reporter").isMissingNode(), a.toString());
        assertEquals(
                "13900000000",
                TestServer.getAs("operator", "/api/v1/incidents/" + recent)
                        .json()
                        .at("/reporter/phone")
                        .asText());

        // running again changes nothing
        String again = row(old);
        new ReporterRetention(new IncidentStore(TestDatabase.server().dataSource()), 365)
                .run(Instant.now());
        assertEquals(again, row(old));
        assertEquals(recentBefore, row(recent));
    }

    @Test
    void aRejectedCaseCountsFromItsLastChange() throws Exception {
        long id = report(CAT).get("id").asLong();
        ok("operator", id, "{\"action\":\"reject\",\"expectedVersion\":1,\"reason\":\"INVALID\"}");
        ReporterRetention job =
                new ReporterRetention(new IncidentStore(TestDatabase.server().dataSource()), 30);
        job.run(Instant.now());
        assertTrue(row(id).contains("13900000000"), "rejected today: kept");
        job.run(Instant.now().plusSeconds(31L * 86_400));
        assertTrue(row(id).contains("\"reporter_phone\": null"), "31 days later: erased");
    }

    private static String row(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT jsonb_pretty(to_jsonb(i)) FROM incident i WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static String withoutReporter(String row) {
        return row.replaceAll("\"reporter_(name|phone)\": [^,\\n]*", "");
    }

    /** The number of cases, and each test case's version, status and event and timer counts. */
    private static String counts(long... ids) throws Exception {
        StringBuilder b =
                new StringBuilder().append(TestDatabase.queryLong("SELECT count(*) FROM incident"));
        for (long id : ids) b.append(' ').append(Cases.fingerprint(id));
        return b.toString();
    }

    private static String followers(long id) {
        return "SELECT count(*) FROM incident_follow WHERE incident_id = " + id;
    }

    private static void exec(String sql) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
