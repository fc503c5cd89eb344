package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A subdistrict keeps reading the cases it sent to the district (docs/access.md): subdistrict 2's
 * operator enters a hotline report at a point of the district in no subdistrict; intake transfers
 * it to the district (the district's own case, no subdistrict), and subdistrict 2's command centre
 * still reads it and its events — it came from them, they tell the reporter — while subdistrict 1's
 * chief and subdistrict 2's grid worker do not, and the district does.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictSentToDistrictTest {

    static long id;

    @BeforeAll
    static void report() throws Exception {
        TestServer.get();
        SecondSubdistrict.install();
        double[] p = SecondSubdistrict.districtOnly();
        Answer a =
                TestServer.postAs(
                        SecondSubdistrict.OPERATOR,
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory(), p[0], p[1]));
        assertEquals(201, a.status(), a.body());
        id = a.json().get("id").asLong();
    }

    static int status(String user, String path) {
        return TestServer.getAs(user, "/api/v1/incidents/" + id + path).status();
    }

    @Test
    void theSubdistrictThatSentItReadsIt() throws Exception {
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE id = "
                                + id
                                + " AND subdistrict_id IS NULL AND status = 'ESCALATED'"),
                "the district's own case");
        for (String path : new String[] {"", "/events"}) {
            assertEquals(200, status(SecondSubdistrict.OPERATOR, path), "operator.sd2 " + path);
            assertEquals(200, status(SecondSubdistrict.CHIEF, path), "chief2 " + path);
            assertEquals(200, status("doperator", path), "doperator " + path);
            assertEquals(403, status("chief", path), "chief " + path);
            assertEquals(403, status(SecondSubdistrict.WORKER, path), "gw2 " + path);
        }
        // the centre that must call the reporter back reads them (logged, docs/personal-data.md)
        Answer one = TestServer.getAs(SecondSubdistrict.OPERATOR, "/api/v1/incidents/" + id);
        assertFalse(one.json().at("/reporter/masked").asBoolean(), one.body());
    }

    @Test
    void readingIsAllItKeeps() {
        // no action of the district's own case is the subdistrict's: it may read, not act
        Answer a =
                TestServer.postAs(
                        SecondSubdistrict.CHIEF,
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\": \"comment\", \"note\": \"asked the district\","
                                + " \"expectedVersion\": 1}");
        assertEquals(403, a.status(), a.body());
    }
}
