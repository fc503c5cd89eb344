package org.gridgov.roster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rosters and leave under the isolation rule (docs/access.md): a subdistrict's managers read and
 * change its own staff's shifts and leave only.
 */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class SubdistrictRosterTest {

    @Test
    void rostersAndLeaveStayInTheirSubdistrict() throws Exception {
        var ids = SecondSubdistrict.install();
        long firstWorker =
                TestDatabase.queryLong(
                        "SELECT min(id) FROM staff WHERE role = 'GRID_WORKER' AND subdistrict_id = "
                                + ids.firstSubdistrictId());
        String day = java.time.LocalDate.now().plusDays(40).toString();
        OffsetDateTime from = OffsetDateTime.parse(day + "T08:30:00+08:00");
        String shift =
                "{\"staffId\": %d, \"from\": \"%s\", \"to\": \"%s\", \"start\": \"08:30\","
                        + " \"end\": \"12:00\", \"days\": \"ALL\"}";
        String leave =
                "{\"staffId\": %d, \"start\": \"%sT09:00\", \"end\": \"%sT18:00\","
                        + " \"kind\": \"SICK\"}";
        long shifts = TestDatabase.queryLong("SELECT count(*) FROM duty_shift");
        long leaves = TestDatabase.queryLong("SELECT count(*) FROM staff_leave");

        // the second subdistrict's chief cannot touch the first's worker
        TestServer.Answer a =
                TestServer.postAs(
                        SecondSubdistrict.CHIEF,
                        "/api/v1/rosters",
                        shift.formatted(firstWorker, day, day));
        assertEquals(403, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"));
        TestServer.Answer l =
                TestServer.postAs(
                        SecondSubdistrict.CHIEF,
                        "/api/v1/leave",
                        leave.formatted(firstWorker, day, day));
        assertEquals(403, l.status(), l.body());
        assertEquals(shifts, TestDatabase.queryLong("SELECT count(*) FROM duty_shift"));
        assertEquals(leaves, TestDatabase.queryLong("SELECT count(*) FROM staff_leave"));

        // but their own worker's, and the demo chief then does not see it
        TestServer.Answer own =
                TestServer.postAs(
                        SecondSubdistrict.CHIEF,
                        "/api/v1/rosters",
                        shift.formatted(ids.workerId(), day, day));
        assertEquals(201, own.status(), own.body());
        TestServer.Answer mine =
                TestServer.postAs(
                        "chief", "/api/v1/rosters", shift.formatted(firstWorker, day, day));
        assertEquals(201, mine.status(), mine.body());
        String window =
                "?from="
                        + java.net.URLEncoder.encode(from.minusHours(1).toString(), "UTF-8")
                        + "&to="
                        + java.net.URLEncoder.encode(from.plusHours(9).toString(), "UTF-8");
        assertEquals(
                java.util.Set.of(ids.workerId()),
                people(TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/rosters" + window)));
        assertFalse(
                people(TestServer.getAs("chief", "/api/v1/rosters" + window))
                        .contains(ids.workerId()));
        assertTrue(
                people(TestServer.getAs("chief", "/api/v1/rosters" + window))
                        .contains(firstWorker));
        for (var made : java.util.Map.of(SecondSubdistrict.CHIEF, own, "chief", mine).entrySet())
            assertEquals(
                    204,
                    TestServer.send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            TestServer.base()
                                                                    + "/api/v1/rosters/"
                                                                    + made.getValue()
                                                                            .json()
                                                                            .at("/shifts/0/id")
                                                                            .asLong()))
                                            .header(
                                                    "Authorization",
                                                    "Bearer " + TestServer.token(made.getKey()))
                                            .DELETE()
                                            .build())
                            .status());
        TestServer.Answer theirLeave =
                TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/leave" + window);
        assertEquals(200, theirLeave.status(), theirLeave.body());
        for (JsonNode x : theirLeave.json().get("leave"))
            assertEquals(ids.workerId(), x.get("staffId").asLong());
    }

    private static java.util.Set<Long> people(TestServer.Answer a) {
        assertEquals(200, a.status(), a.body());
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (JsonNode s : a.json().get("shifts")) out.add(s.get("staffId").asLong());
        return out;
    }
}
