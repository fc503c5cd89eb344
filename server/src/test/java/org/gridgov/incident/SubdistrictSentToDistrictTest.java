package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
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
 * chief and subdistrict 2's grid worker do not, and the district does. And it lists them, with what
 * it escalated in its own area, under {@code sentToDistrict=true}, and nothing subdistrict 1 sent.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictSentToDistrictTest {

    /** Sent by subdistrict 2, the district's own now. */
    static long id;

    /** Sent by subdistrict 2, a district matter in its own area: the district's, kept in sd 2. */
    static long ownEscalated;

    /** Sent by subdistrict 1 (the demo's operator), the district's own now. */
    static long firstSent;

    static SecondSubdistrict.Ids ids;

    @BeforeAll
    static void report() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        SecondSubdistrict.routeReportsNow();
        double[] p = SecondSubdistrict.districtOnly();
        id = reported(SecondSubdistrict.OPERATOR, DemoFixture.subdistrictCategory(), p);
        ownEscalated =
                reported(
                        SecondSubdistrict.OPERATOR,
                        DemoFixture.districtCategory(),
                        new double[] {ids.lon(), ids.lat()});
        firstSent = reported("operator", DemoFixture.subdistrictCategory(), p);
    }

    static long reported(String who, String category, double[] p) {
        Answer a =
                TestServer.postAs(
                        who, "/api/v1/incidents", DemoFixture.report(category, p[0], p[1]));
        assertEquals(201, a.status(), a.body());
        assertEquals("ESCALATED", a.json().get("status").asText(), a.body());
        return a.json().get("id").asLong();
    }

    /** The case ids a caller lists with {@code query}, following the pages one case at a time. */
    static List<Long> listed(String who, String query) {
        List<Long> out = new ArrayList<>();
        String next = "/api/v1/incidents?limit=1&" + query;
        while (next != null) {
            Answer a = TestServer.getAs(who, next);
            assertEquals(200, a.status(), a.body());
            for (JsonNode f : a.json().get("features")) out.add(f.get("id").asLong());
            next = null;
            for (JsonNode l : a.json().path("links"))
                if (l.path("rel").asText().equals("next")) next = l.get("href").asText();
        }
        return out;
    }

    @Test
    void itListsWhatItSentAndNothingElse() throws Exception {
        for (String who : new String[] {SecondSubdistrict.OPERATOR, SecondSubdistrict.CHIEF}) {
            List<Long> sent = listed(who, "sentToDistrict=true");
            assertTrue(sent.contains(id), who + " " + sent);
            assertTrue(sent.contains(ownEscalated), who + " " + sent);
            assertFalse(sent.contains(firstSent), who + " lists subdistrict 1's " + sent);
            // newest first, as the normal list, across pages of one
            List<Long> sorted = new ArrayList<>(sent);
            sorted.sort(java.util.Comparator.reverseOrder());
            assertEquals(sorted, sent);
            // each one was sent by a member of subdistrict 2's staff, per EscalationQueries
            var escalations = new EscalationQueries(TestDatabase.get().dataSource());
            for (long c : sent) assertTrue(escalations.sentFrom(c, ids.subdistrictId()), "" + c);
        }
        // the other filters still apply
        List<Long> matters =
                listed(
                        SecondSubdistrict.OPERATOR,
                        "sentToDistrict=true&category=" + DemoFixture.districtCategory());
        assertTrue(matters.contains(ownEscalated), matters.toString());
        assertFalse(matters.contains(id), matters.toString());
        // subdistrict 1 lists its own, not subdistrict 2's
        List<Long> first = listed("chief", "sentToDistrict=true");
        assertTrue(first.contains(firstSent), first.toString());
        assertFalse(first.contains(id), first.toString());
        assertFalse(first.contains(ownEscalated), first.toString());
    }

    @Test
    void aCaseTheDistrictReturnedLeavesTheList() throws Exception {
        long returned =
                reported(
                        SecondSubdistrict.OPERATOR,
                        DemoFixture.districtCategory(),
                        new double[] {ids.lon(), ids.lat()});
        assertTrue(listed(SecondSubdistrict.CHIEF, "sentToDistrict=true").contains(returned));
        long version =
                TestDatabase.queryLong("SELECT version FROM incident WHERE id = " + returned);
        Answer back =
                TestServer.postAs(
                        "doperator",
                        "/api/v1/incidents/" + returned + "/actions",
                        "{\"action\": \"district-return\", \"reason\": \"the subdistrict's own\","
                                + " \"expectedVersion\": "
                                + version
                                + "}");
        assertEquals(200, back.status(), back.body());
        // the district no longer holds it: back in the subdistrict's own list only
        assertFalse(listed(SecondSubdistrict.CHIEF, "sentToDistrict=true").contains(returned));
        assertTrue(listed(SecondSubdistrict.CHIEF, "status=ACCEPTED").contains(returned));
    }

    @Test
    void theNormalListStaysTheSubdistrictsOwn() {
        List<Long> normal = listed(SecondSubdistrict.OPERATOR, "status=ESCALATED");
        assertFalse(normal.contains(id), "the district's own case: " + normal);
        assertTrue(normal.contains(ownEscalated), "still subdistrict 2's: " + normal);
        assertEquals(
                normal,
                listed(SecondSubdistrict.OPERATOR, "status=ESCALATED&sentToDistrict=false"));
    }

    @Test
    void onlyThoseWhoReadTheWholeSubdistrictMayAsk() {
        String path = "/api/v1/incidents?sentToDistrict=true";
        Answer worker = TestServer.getAs(SecondSubdistrict.WORKER, path);
        assertEquals(403, worker.status(), worker.body());
        assertEquals("sentToDistrict", worker.json().get("field").asText(), worker.body());
        Answer district = TestServer.getAs("doperator", path);
        assertEquals(400, district.status(), district.body());
        assertEquals("sentToDistrict", district.json().get("field").asText(), district.body());
        assertEquals(401, TestServer.get(path).status(), "anonymous");
    }

    @Test
    void aBadValueIsRefusedNamingTheParameter() {
        for (String bad : new String[] {"yes", "1", "TRUE", "true&sentToDistrict=false"}) {
            Answer a =
                    TestServer.getAs(
                            SecondSubdistrict.OPERATOR, "/api/v1/incidents?sentToDistrict=" + bad);
            assertEquals(400, a.status(), bad + ": " + a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
            assertTrue(a.json().get("type").asText().endsWith("/invalid-parameter"), a.body());
            assertEquals("sentToDistrict", a.json().get("field").asText(), a.body());
        }
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
    void readingIsAllItKeeps() throws Exception {
        // no action of the district's own case is the subdistrict's: it may read, not act
        Answer a =
                TestServer.postAs(
                        SecondSubdistrict.CHIEF,
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\": \"comment\", \"note\": \"asked the district\","
                                + " \"expectedVersion\": 1}");
        assertEquals(403, a.status(), a.body());
        // nor its operator, listing it among what was sent: the list reads, it does not act
        long version = TestDatabase.queryLong("SELECT version FROM incident WHERE id = " + id);
        Answer accept =
                TestServer.postAs(
                        SecondSubdistrict.OPERATOR,
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\": \"district-accept\", \"expectedVersion\": " + version + "}");
        assertEquals(403, accept.status(), accept.body());
        assertEquals(
                version,
                TestDatabase.queryLong("SELECT version FROM incident WHERE id = " + id),
                "nothing changed");
    }
}
