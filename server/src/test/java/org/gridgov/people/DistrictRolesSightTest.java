package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The district command centre's sight of staff (docs/access.md, SEES_STAFF): DISTRICT_OPERATOR and
 * DISTRICT_COMMANDER read every subdistrict's staff, rosters, leave and patrol tracks, and change
 * none of them; a subdistrict's chief still reads its own only.
 */
@Tag("db")
@Tag("second-subdistrict")
class DistrictRolesSightTest {

    static SecondSubdistrict.Ids ids;
    static long firstWorker;

    @BeforeAll
    static void install() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        firstWorker =
                TestDatabase.queryLong(
                        "SELECT min(id) FROM staff WHERE role = 'GRID_WORKER' AND subdistrict_id = "
                                + ids.firstSubdistrictId());
    }

    static Set<Long> staff(String user) {
        Answer a = TestServer.getAs(user, "/api/v1/staff?limit=5000");
        assertEquals(200, a.status(), user + ": " + a.body());
        Set<Long> out = new HashSet<>();
        for (JsonNode s : a.json().get("staff")) out.add(s.get("id").asLong());
        return out;
    }

    @Test
    void districtRolesListEverySubdistrictsStaff() {
        for (String user : List.of("doperator", "dcommander")) {
            Set<Long> all = staff(user);
            assertTrue(all.contains(ids.chiefId()) && all.contains(firstWorker), user);
        }
        assertFalse(staff(SecondSubdistrict.CHIEF).contains(firstWorker), "chief2");
        assertFalse(staff("chief").contains(ids.chiefId()), "chief");
        for (long worker : new long[] {ids.workerId(), firstWorker})
            assertEquals(
                    200,
                    TestServer.getAs("dcommander", "/api/v1/staff/" + worker + "/track").status());
    }

    @Test
    void districtRolesReadRostersAndChangeNone() throws Exception {
        String day = LocalDate.now().plusDays(41).toString();
        OffsetDateTime from = OffsetDateTime.parse(day + "T08:30:00+08:00");
        String shift =
                "{\"staffId\": %d, \"from\": \"%s\", \"to\": \"%s\", \"start\": \"08:30\","
                        + " \"end\": \"12:00\", \"days\": \"ALL\"}";
        Answer second =
                TestServer.postAs(
                        SecondSubdistrict.CHIEF,
                        "/api/v1/rosters",
                        shift.formatted(ids.workerId(), day, day));
        assertEquals(201, second.status(), second.body());
        Answer first =
                TestServer.postAs(
                        "chief", "/api/v1/rosters", shift.formatted(firstWorker, day, day));
        assertEquals(201, first.status(), first.body());
        try {
            String window =
                    "?from="
                            + URLEncoder.encode(
                                    from.minusHours(1).toString(), StandardCharsets.UTF_8)
                            + "&to="
                            + URLEncoder.encode(
                                    from.plusHours(9).toString(), StandardCharsets.UTF_8);
            for (String user : List.of("doperator", "dcommander")) {
                Answer a = TestServer.getAs(user, "/api/v1/rosters" + window);
                assertEquals(200, a.status(), a.body());
                Set<Long> people = new HashSet<>();
                for (JsonNode s : a.json().get("shifts")) people.add(s.get("staffId").asLong());
                assertTrue(
                        people.contains(ids.workerId()) && people.contains(firstWorker),
                        user + ": " + people);
                assertEquals(200, TestServer.getAs(user, "/api/v1/leave" + window).status());
            }
            // read-only: a district role writes no shift
            long shifts = TestDatabase.queryLong("SELECT count(*) FROM duty_shift");
            Answer refused =
                    TestServer.postAs(
                            "doperator", "/api/v1/rosters", shift.formatted(firstWorker, day, day));
            assertEquals(403, refused.status(), refused.body());
            assertEquals(shifts, TestDatabase.queryLong("SELECT count(*) FROM duty_shift"));
        } finally {
            delete(SecondSubdistrict.CHIEF, second);
            delete("chief", first);
        }
    }

    private static void delete(String user, Answer made) {
        long id = made.json().at("/shifts/0/id").asLong();
        assertEquals(
                204,
                TestServer.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        TestServer.base()
                                                                + "/api/v1/rosters/"
                                                                + id))
                                        .header("Authorization", "Bearer " + TestServer.token(user))
                                        .DELETE()
                                        .build())
                        .status());
    }
}
