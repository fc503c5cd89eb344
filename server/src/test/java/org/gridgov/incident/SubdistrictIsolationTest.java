package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The isolation rule on cases (docs/access.md): the second subdistrict's chief never sees the
 * first's cases, the demo chief never the second's, and the district operator sees both — in lists,
 * one case, its events and its photos.
 */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class SubdistrictIsolationTest {

    static SecondSubdistrict.Ids ids;
    static long firstCase;

    @BeforeAll
    static void setUp() throws Exception {
        ids = SecondSubdistrict.install();
        firstCase =
                TestDatabase.queryLong(
                        "SELECT min(id) FROM incident WHERE subdistrict_id = "
                                + ids.firstSubdistrictId());
    }

    /** The case ids a caller lists, reported in the last week. */
    static Set<Long> listed(String who) {
        String from =
                URLEncoder.encode(
                        OffsetDateTime.now().minusDays(7).toString(), StandardCharsets.UTF_8);
        Set<Long> out = new HashSet<>();
        String next = "/api/v1/incidents?limit=1000&from=" + from;
        while (next != null) {
            TestServer.Answer a = TestServer.getAs(who, next);
            assertEquals(200, a.status(), a.body());
            for (JsonNode f : a.json().get("features")) out.add(f.get("id").asLong());
            next = null;
            for (JsonNode l : a.json().path("links"))
                if (l.path("rel").asText().equals("next")) next = l.get("href").asText();
        }
        return out;
    }

    static long subdistrictOf(long incident) throws Exception {
        return TestDatabase.queryLong(
                "SELECT coalesce(subdistrict_id, 0) FROM incident WHERE id = " + incident);
    }

    @Test
    void listsHoldOnlyTheCallersSubdistrict() throws Exception {
        Set<Long> second = listed(SecondSubdistrict.CHIEF);
        assertTrue(second.containsAll(ids.incidentIds()), second.toString());
        for (long id : second) assertEquals(ids.subdistrictId(), subdistrictOf(id));

        Set<Long> first = listed("chief");
        assertFalse(first.isEmpty());
        for (long id : ids.incidentIds()) assertFalse(first.contains(id), "chief sees " + id);
        for (long id : first) assertEquals(ids.firstSubdistrictId(), subdistrictOf(id));

        Set<Long> district = listed("doperator");
        assertTrue(district.containsAll(second));
        assertTrue(district.containsAll(first));
        // a grid worker of the second: their grid only, never the first subdistrict's
        Set<Long> worker = listed(SecondSubdistrict.WORKER);
        for (long id : worker) assertEquals(ids.subdistrictId(), subdistrictOf(id));
    }

    @Test
    void oneCaseItsEventsAndPhotosAreRefusedAcrossSubdistricts() {
        long secondCase = ids.incidentIds().get(0);
        for (String path : new String[] {"", "/events", "/media"}) {
            assertEquals(
                    403,
                    TestServer.getAs(
                                    SecondSubdistrict.CHIEF,
                                    "/api/v1/incidents/" + firstCase + path)
                            .status(),
                    path);
            assertEquals(
                    403,
                    TestServer.getAs("chief", "/api/v1/incidents/" + secondCase + path).status(),
                    path);
            assertEquals(
                    200,
                    TestServer.getAs(
                                    SecondSubdistrict.CHIEF,
                                    "/api/v1/incidents/" + secondCase + path)
                            .status(),
                    path);
            assertEquals(
                    200,
                    TestServer.getAs("doperator", "/api/v1/incidents/" + firstCase + path).status(),
                    path);
            assertEquals(
                    200,
                    TestServer.getAs("doperator", "/api/v1/incidents/" + secondCase + path)
                            .status(),
                    path);
        }
        TestServer.Answer a =
                TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/incidents/" + firstCase);
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertEquals(404, TestServer.getAs("chief", "/api/v1/incidents/999999999").status());
    }

    /** Visibility itself: a reader of one subdistrict, a case of the other or of the district. */
    @Test
    void visibilityComparesTheSubdistrictFirst() {
        Visibility one = new Visibility(true, null, null, null, 7L, false, 1L);
        Visibility all = new Visibility(true, null, null, null, 7L, false);
        Routing r = new Routing(1L, 2L, "x", 3L, "GOVERNANCE", 7L, null, "SUBDISTRICT", null);
        Incident inFirst =
                new Incident(
                        1, 1, "REPORTED", "C", "HOTLINE", "", 0, 0, null, null, null, r, null, 1L);
        Incident inSecond =
                new Incident(
                        2, 1, "REPORTED", "C", "HOTLINE", "", 0, 0, null, null, null, r, null, 2L);
        Incident district =
                new Incident(
                        3,
                        1,
                        "ESCALATED",
                        "C",
                        "HOTLINE",
                        "",
                        0,
                        0,
                        null,
                        null,
                        null,
                        r,
                        null,
                        null);
        assertTrue(IncidentRoutes.sees(one, inFirst));
        assertFalse(IncidentRoutes.sees(one, inSecond), "even assigned to the reader");
        assertFalse(IncidentRoutes.sees(one, district));
        assertTrue(IncidentRoutes.sees(all, inSecond));
        assertTrue(IncidentRoutes.sees(all, district));
    }
}
