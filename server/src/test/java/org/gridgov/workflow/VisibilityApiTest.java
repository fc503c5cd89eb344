package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reading cases: each role sees its scope; reporters' names and phones only where needed. */
@Tag("db")
class VisibilityApiTest {

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
    }

    @Test
    void aGridWorkerSeesTheirGridAndAPlatformHandlerTheirPlatform() {
        long id = report("ENF_EXPOSED_GARBAGE").get("id").asLong();
        assertEquals(200, TestServer.getAs(gridWorker, "/api/v1/incidents/" + id).status());
        assertEquals(
                200, TestServer.getAs("enforcement.handler1", "/api/v1/incidents/" + id).status());
        Answer other = TestServer.getAs("market.handler1", "/api/v1/incidents/" + id);
        assertProblem(other, 403, "not-your-case");
        assertEquals(
                403,
                TestServer.getAs("market.handler1", "/api/v1/incidents/" + id + "/events")
                        .status());

        Answer mine = TestServer.getAs(gridWorker, "/api/v1/incidents?limit=200");
        assertEquals(200, mine.status());
        assertTrue(mine.json().get("features").size() > 0);
        // their grid's cases, plus those assigned to them: as a grid's backup worker (AB角) they
        // are given a neighbouring grid's cases while its worker is away or disabled
        for (JsonNode f : mine.json().get("features")) {
            assertTrue(
                    f.at("/properties/routing/gridId").asLong() == gridId
                            || f.at("/properties/routing/assigneeId").asLong() == gridWorkerId,
                    "a grid worker lists only their grid and their own cases: " + f);
        }
        for (JsonNode f :
                TestServer.getAs("market.handler1", "/api/v1/incidents?limit=200")
                        .json()
                        .get("features")) {
            assertEquals("MARKET", f.at("/properties/routing/platform").asText());
        }
    }

    @Test
    void reportersAreShownOnlyToTheCommandCentre() {
        long id = report("ENF_EXPOSED_GARBAGE").get("id").asLong();
        assertEquals(
                "13900000000",
                TestServer.getAs("operator", "/api/v1/incidents/" + id)
                        .json()
                        .at("/reporter/phone")
                        .asText());
        // the case's assignee (at intake: the grid's worker) may call the reporter back
        assertEquals(
                "13900000000",
                TestServer.getAs(gridWorker, "/api/v1/incidents/" + id)
                        .json()
                        .at("/reporter/phone")
                        .asText());
        for (String u : new String[] {"auditor", "planner", "admin", "enforcement.handler1"}) {
            Answer a = TestServer.getAs(u, "/api/v1/incidents/" + id);
            assertEquals(200, a.status(), u);
            assertFalse(a.body().contains("13900000000"), u + " must not see the phone");
            assertFalse(a.body().contains("李女士"), u + " must not see the name");
        }
        assertFalse(
                TestServer.getAs("operator", "/api/v1/incidents?limit=5")
                        .body()
                        .contains("13900000000"),
                "lists never carry reporters");
    }

    @Test
    void aCaseOutsideTheScopeKeepsItsActionsAndRespondersToItself() {
        long id = report("ENF_EXPOSED_GARBAGE").get("id").asLong();
        String otherWorker = null;
        for (JsonNode s :
                TestServer.getAs("director", "/api/v1/staff?role=GRID_WORKER&limit=500")
                        .json()
                        .get("staff")) {
            if (s.at("/scope/gridId").asLong() != gridId) {
                otherWorker = s.get("username").asText();
                break;
            }
        }
        assertNotNull(otherWorker, "the demo has workers of other grids");
        assertProblem(
                TestServer.getAs(otherWorker, "/api/v1/incidents/" + id), 403, "not-your-case");
        // the same answer on what may be done with it, and on who is near it
        assertProblem(
                TestServer.getAs(otherWorker, "/api/v1/incidents/" + id + "/actions"),
                403,
                "not-your-case");
        assertEquals(
                403,
                TestServer.getAs(otherWorker, "/api/v1/incidents/" + id + "/responders").status());
        assertProblem(
                TestServer.getAs("market.commander", "/api/v1/incidents/" + id + "/actions"),
                403,
                "not-your-case");
        assertProblem(
                TestServer.getAs("market.commander", "/api/v1/incidents/" + id + "/responders"),
                403,
                "not-your-case");
        // within the scope they answer
        assertEquals(
                200, TestServer.getAs(gridWorker, "/api/v1/incidents/" + id + "/actions").status());
        assertEquals(
                200,
                TestServer.getAs("enforcement.commander", "/api/v1/incidents/" + id + "/responders")
                        .status());
    }
}
