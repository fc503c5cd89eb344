package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Staff under the isolation rule (docs/access.md) and the staff API's bad input in a district of
 * two subdistricts: problem+json 4xx and nothing changed.
 */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class SubdistrictStaffTest {

    static SecondSubdistrict.Ids ids;
    static long firstGrid;

    /** A district-wide administrator, for the cases only they can reach. */
    static final String DISTRICT_ADMIN = "dadmin.test";

    @BeforeAll
    static void setUp() throws Exception {
        ids = SecondSubdistrict.install();
        firstGrid =
                TestDatabase.queryLong(
                        "SELECT min(g.id) FROM grid g JOIN community c ON c.id = g.community_id"
                                + " WHERE c.subdistrict_id = "
                                + ids.firstSubdistrictId());
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            st.execute(
                    """
                    INSERT INTO staff (name, role, scope_type, username, password_hash)
                    SELECT '区管理员', 'ADMIN', 'DISTRICT', '%s', password_hash
                    FROM staff WHERE username = 'chief'
                    ON CONFLICT (username) DO NOTHING"""
                            .formatted(DISTRICT_ADMIN));
        }
    }

    static long staffCount() throws Exception {
        return TestDatabase.queryLong("SELECT count(*) FROM staff");
    }

    static TestServer.Answer patch(String who, long id, String body) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/staff/" + id))
                        .header("Authorization", "Bearer " + TestServer.token(who))
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    static void assertProblem(TestServer.Answer a, int status, String pointer, String words) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        if (pointer != null) assertEquals(pointer, a.json().path("field").asText(), a.body());
        if (words != null) assertTrue(a.json().get("detail").asText().contains(words), a.body());
    }

    @Test
    void staffListsHoldTheCallersSubdistrictOnly() throws Exception {
        TestServer.Answer second = TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/staff");
        assertEquals(200, second.status(), second.body());
        assertTrue(second.json().get("staff").size() >= 5, second.body());
        assertTrue(second.body().contains("\"username\":\"" + SecondSubdistrict.WORKER + "\""));
        for (JsonNode s : second.json().get("staff"))
            assertEquals(ids.subdistrictId(), s.at("/scope/subdistrictId").asLong(), s.toString());
        TestServer.Answer first = TestServer.getAs("chief", "/api/v1/staff?limit=5000");
        for (JsonNode s : first.json().get("staff"))
            assertEquals(ids.firstSubdistrictId(), s.at("/scope/subdistrictId").asLong());
        TestServer.Answer all = TestServer.getAs(DISTRICT_ADMIN, "/api/v1/staff?limit=5000");
        assertEquals(200, all.status(), all.body());
        assertEquals(staffCount(), all.json().get("staff").size());
    }

    @Test
    void aSubdistrictsAdminManagesOnlyItsOwnStaff() throws Exception {
        long firstChief = TestDatabase.queryLong("SELECT id FROM staff WHERE username = 'chief'");
        long before = staffCount();
        assertProblem(
                TestServer.getAs(SecondSubdistrict.ADMIN, "/api/v1/staff/" + firstChief),
                403,
                null,
                "subdistrict");
        assertProblem(
                patch(SecondSubdistrict.ADMIN, firstChief, "{\"phone\":\"1\"}"), 403, null, null);
        assertProblem(patch("admin", ids.workerId(), "{\"phone\":\"1\"}"), 403, null, null);
        assertProblem(
                TestServer.postAs(
                        SecondSubdistrict.ADMIN,
                        "/api/v1/staff/" + firstChief + "/password-reset",
                        "{}"),
                403,
                null,
                null);
        // creating staff of the other subdistrict: a grid there, or its subdistrict named
        assertProblem(
                TestServer.postAs(
                        SecondSubdistrict.ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"sd2.gw.x\",\"roles\":[\"GRID_WORKER\"],"
                                + "\"scope\":{\"type\":\"GRID\",\"gridId\":"
                                + firstGrid
                                + "}}"),
                403,
                null,
                null);
        assertProblem(
                TestServer.postAs(
                        SecondSubdistrict.ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"sd2.op.x\",\"roles\":[\"CENTRE_OPERATOR\"],"
                                + "\"scope\":{\"type\":\"SUBDISTRICT\",\"subdistrictId\":"
                                + ids.firstSubdistrictId()
                                + "}}"),
                403,
                null,
                null);
        // moving one's own staff to the other subdistrict
        assertProblem(
                patch(
                        SecondSubdistrict.ADMIN,
                        ids.plannerId(),
                        "{\"scope\":{\"type\":\"GRID\",\"gridId\":" + firstGrid + "}}"),
                403,
                null,
                null);
        assertEquals(before, staffCount(), "nothing created");
        assertEquals(
                ids.subdistrictId(),
                TestDatabase.queryLong(
                        "SELECT subdistrict_id FROM staff WHERE id = " + ids.plannerId()));
        // their own subdistrict by default
        TestServer.Answer ok =
                TestServer.postAs(
                        SecondSubdistrict.ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"sd2.op.ok\",\"roles\":[\"CENTRE_OPERATOR\"]}");
        assertEquals(201, ok.status(), ok.body());
        assertEquals(ids.subdistrictId(), ok.json().at("/scope/subdistrictId").asLong());
    }

    @Test
    void badScopesAreRefusedAndNothingChanges() throws Exception {
        long before = staffCount();
        // scope DISTRICT for a role that is not district-scoped
        assertProblem(
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"bad.d1\",\"roles\":[\"GRID_WORKER\"],"
                                + "\"scope\":{\"type\":\"DISTRICT\"}}"),
                422,
                "/scope/type",
                "GRID_WORKER");
        assertProblem(
                patch(DISTRICT_ADMIN, ids.chiefId(), "{\"scope\":{\"type\":\"DISTRICT\"}}"),
                422,
                "/scope/type",
                "CHIEF_COMMANDER");
        // a grid of one subdistrict with the other's id
        assertProblem(
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"bad.g1\",\"roles\":[\"GRID_WORKER\"],"
                                + "\"scope\":{\"type\":\"GRID\",\"gridId\":"
                                + firstGrid
                                + ",\"subdistrictId\":"
                                + ids.subdistrictId()
                                + "}}"),
                422,
                "/scope/subdistrictId",
                "grid " + firstGrid);
        assertProblem(
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"bad.c1\",\"roles\":[\"GRID_LEADER\"],"
                                + "\"scope\":{\"type\":\"COMMUNITY\",\"communityId\":"
                                + ids.communityId()
                                + ",\"subdistrictId\":"
                                + ids.firstSubdistrictId()
                                + "}}"),
                422,
                "/scope/subdistrictId",
                "community " + ids.communityId());
        // which subdistrict, when there are several
        assertProblem(
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"bad.s1\",\"roles\":[\"CENTRE_OPERATOR\"],"
                                + "\"scope\":{\"type\":\"SUBDISTRICT\"}}"),
                422,
                "/scope/subdistrictId",
                "subdistrictId");
        assertProblem(
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"bad.p1\",\"roles\":[\"PLATFORM_HANDLER\"],"
                                + "\"scope\":{\"type\":\"PLATFORM\",\"platform\":\"MARKET\"}}"),
                422,
                "/scope/subdistrictId",
                "subdistrictId");
        // the district's own id is no subdistrict
        assertProblem(
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"bad.s2\",\"roles\":[\"CENTRE_OPERATOR\"],"
                                + "\"scope\":{\"type\":\"SUBDISTRICT\",\"subdistrictId\":"
                                + ids.districtId()
                                + "}}"),
                422,
                "/scope/subdistrictId",
                null);
        assertProblem(
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"bad.s3\",\"roles\":[\"ADMIN\"],"
                                + "\"scope\":{\"type\":\"DISTRICT\",\"subdistrictId\":1}}"),
                422,
                "/scope/subdistrictId",
                null);
        assertEquals(before, staffCount(), "nothing created");
        assertEquals(
                "SUBDISTRICT",
                TestServer.getAs(DISTRICT_ADMIN, "/api/v1/staff/" + ids.chiefId())
                        .json()
                        .at("/scope/type")
                        .asText());

        // what is allowed: a district role district-wide, a subdistrict named
        TestServer.Answer d =
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"ok.d1\",\"roles\":[\"DISTRICT_OPERATOR\"],"
                                + "\"scope\":{\"type\":\"DISTRICT\"}}");
        assertEquals(201, d.status(), d.body());
        assertEquals("DISTRICT", d.json().at("/scope/type").asText());
        TestServer.Answer s =
                TestServer.postAs(
                        DISTRICT_ADMIN,
                        "/api/v1/staff",
                        "{\"username\":\"ok.s1\",\"roles\":[\"CENTRE_OPERATOR\"],"
                                + "\"scope\":{\"type\":\"SUBDISTRICT\",\"subdistrictId\":"
                                + ids.subdistrictId()
                                + "}}");
        assertEquals(201, s.status(), s.body());
        assertEquals(ids.subdistrictId(), s.json().at("/scope/subdistrictId").asLong());
    }
}
