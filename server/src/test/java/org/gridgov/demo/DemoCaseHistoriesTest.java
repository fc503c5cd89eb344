package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;
import org.gridgov.accountability.FindingKind;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo's full case histories (DemoHistories) as the rest of the system reads them: every kind
 * of finding of the discipline committee's view is on the demo, and each history is a valid walk of
 * the case's states that ends where its incident row says, with the version its event count.
 */
@Tag("db")
class DemoCaseHistoriesTest {

    static long sql(String query) throws Exception {
        return TestDatabase.queryLong(query);
    }

    @Test
    void everyKindOfFindingIsOnTheDemo() throws Exception {
        TestDatabase.get();
        LocalDate end = LocalDate.ofInstant(TestDatabase.demoAnchor(), ZoneId.of("Asia/Shanghai"));
        JsonNode a =
                TestServer.getAs(
                                "auditor",
                                "/api/v1/accountability?from="
                                        + end.minusDays(370)
                                        + "&to="
                                        + end.minusDays(2)
                                        + "&limit=10000")
                        .json();
        for (FindingKind k : FindingKind.values())
            assertTrue(a.get("totals").get(k.wire).asInt() > 0, k.wire + ": " + a.get("totals"));
        // a clean history (report, accept, dispatch, start, resolve, verify, close) is no finding
        StringBuilder ids = new StringBuilder("0");
        for (JsonNode f : a.get("findings")) ids.append(',').append(f.get("incidentId").asLong());
        assertEquals(
                0,
                sql(
                        "SELECT count(*) FROM incident i WHERE i.id IN ("
                                + ids
                                + ") AND i.version = 7 AND NOT EXISTS (SELECT 1 FROM incident_event e"
                                + " WHERE e.incident_id = i.id AND e.type NOT IN ('REPORTED', 'ACCEPT',"
                                + " 'DISPATCH', 'START', 'RESOLVE', 'VERIFY', 'CLOSE'))"));
    }

    @Test
    void historiesAgreeWithTheirIncidents() throws Exception {
        long histories =
                sql(
                        """
                SELECT count(DISTINCT incident_id) FROM incident_event
                WHERE type NOT IN ('REPORTED', 'IMPORTED') AND incident_id IN (
                    SELECT id FROM incident WHERE id <= 2000)""");
        // a few percent of the 2,000 test incidents
        assertTrue(histories >= 20 && histories <= 200, "histories: " + histories);
        // version = number of events, for every demo incident
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i WHERE i.id <= 2000
                  AND i.version <> (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id)"""));
        // each event starts where the one before it ended, in time order, the last at the row's
        // status and updated_at (closed_at for a closed case)
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM (
                    SELECT e.incident_id, e.from_status, e.at, e.type,
                           lag(e.to_status) OVER w AS prev, lag(e.at) OVER w AS prev_at
                    FROM incident_event e WHERE e.incident_id <= 2000 WINDOW w AS (PARTITION BY e.incident_id ORDER BY e.id)
                ) x WHERE x.prev IS NOT NULL AND (x.from_status <> x.prev OR x.at < x.prev_at)"""));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i
                JOIN LATERAL (SELECT * FROM incident_event e WHERE e.incident_id = i.id ORDER BY e.id DESC LIMIT 1) l ON true
                WHERE i.id <= 2000 AND i.version > 2
                  AND (l.to_status <> i.status OR l.at <> i.updated_at
                       OR (i.status = 'CLOSED') <> (i.closed_at IS NOT NULL)
                       OR (i.status = 'CLOSED' AND (l.type <> 'CLOSE' OR l.at <> i.closed_at)))"""));
        // the decided requests the events name exist
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident_event e WHERE e.incident_id <= 2000 AND e.data ? 'exceptionId'
                  AND NOT EXISTS (SELECT 1 FROM case_exception x WHERE x.id = (e.data ->> 'exceptionId')::bigint
                                  AND x.incident_id = e.incident_id AND x.status = 'APPROVED')"""));
    }

    @Test
    void theDemoCampaignIsUnderWay() throws Exception {
        TestDatabase.get();
        // the first of the name: tests make campaigns of the docs' example name too
        String campaign = "(SELECT min(id) FROM campaign WHERE name = '" + DemoCampaign.NAME + "')";
        long tasks = sql("SELECT count(*) FROM task WHERE campaign_id = " + campaign);
        long done =
                sql("SELECT count(*) FROM task WHERE state = 'DONE' AND campaign_id = " + campaign);
        assertTrue(done > 0 && done < tasks, done + " of " + tasks);
        // completed by their assignees, every answer recorded
        assertEquals(
                0,
                sql(
                        "SELECT count(*) FROM task t WHERE t.state = 'DONE' AND t.campaign_id = "
                                + campaign
                                + " AND (SELECT count(*) FROM task_answer a WHERE a.task_id = t.id) <> 4"));
    }
}
