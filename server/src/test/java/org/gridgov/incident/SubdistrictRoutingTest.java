package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.gridgov.area.Jurisdictions;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.grid.PlanTimeline;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reports in a district of two subdistricts (docs/district.md): each goes to the subdistrict whose
 * area holds it, and to a grid of that subdistrict's plan; a point on the shared boundary to the
 * lowest code; a point in no subdistrict to the district, with no community (subdistrict_id NULL).
 */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class SubdistrictRoutingTest {

    static SecondSubdistrict.Ids ids;
    static IncidentRouter router;
    static CategoryCatalog catalog;

    @BeforeAll
    static void setUp() throws Exception {
        ids = SecondSubdistrict.install();
        DataSource ds = TestDatabase.get().dataSource();
        catalog = CategoryCatalog.load(ds);
        router = new IncidentRouter(Jurisdictions.load(ds), PlanTimeline.load(ds));
    }

    private static Routing route(double lon, double lat, String category) {
        return router.route(
                new IncidentReport(
                        catalog.find(category).orElseThrow(),
                        Channel.GRID_PATROL,
                        lon,
                        lat,
                        "routing test",
                        OffsetDateTime.now(),
                        null,
                        null));
    }

    private static String gridCode(long gridId) throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT code FROM grid WHERE id = " + gridId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aReportInTheSecondSubdistrictGoesToItsGrid() {
        Routing r = route(ids.lon(), ids.lat(), DemoFixture.subdistrictCategory());
        assertEquals("SUBDISTRICT", r.jurisdiction());
        assertEquals(ids.planId(), r.planId());
        assertEquals(ids.gridId(), r.gridId());
        assertEquals(ids.communityId(), r.communityId());
        assertEquals(ids.workerId(), r.assigneeId(), "the grid's worker is on duty");
    }

    @Test
    void aPointOnTheSharedBoundaryGoesToTheLowestCode() throws Exception {
        Routing r = route(ids.boundaryLon(), ids.boundaryLat(), DemoFixture.subdistrictCategory());
        assertEquals("SUBDISTRICT", r.jurisdiction());
        assertNotEquals(ids.planId(), r.planId());
        assertTrue(gridCode(r.gridId()).startsWith(SecondSubdistrict.FIRST_CODE), r.toString());
    }

    @Test
    void aPointInNoSubdistrictGoesToTheDistrict() throws Exception {
        double[] d = SecondSubdistrict.districtOnly();
        Routing r = route(d[0], d[1], DemoFixture.subdistrictCategory());
        assertEquals("DISTRICT", r.jurisdiction());
        assertEquals(IncidentRouter.OUTSIDE_SUBDISTRICT, r.transferReason());
        assertNull(r.communityId());
        assertNull(r.gridId());
    }

    @Test
    void districtAuthorityStaysInTheSubdistrictsGridButGoesToTheDistrict() {
        Routing r = route(ids.lon(), ids.lat(), DemoFixture.districtCategory());
        assertEquals("DISTRICT", r.jurisdiction());
        assertEquals(IncidentRouter.DISTRICT_AUTHORITY, r.transferReason());
        assertEquals(ids.gridId(), r.gridId());
    }

    /**
     * Over HTTP, once the server has re-read the plans and the boundaries ({@link
     * SecondSubdistrict#routeReportsNow}): the stored case carries the second subdistrict, from its
     * community.
     */
    @Test
    void theStoredCaseBelongsToTheSubdistrictOfItsCommunity() throws Exception {
        SecondSubdistrict.routeReportsNow();
        String body = DemoFixture.report(DemoFixture.subdistrictCategory(), ids.lon(), ids.lat());
        TestServer.Answer a =
                TestServer.postAs(SecondSubdistrict.OPERATOR, "/api/v1/incidents", body);
        assertEquals(201, a.status(), a.body());
        long id = a.json().get("id").asLong();
        assertEquals(ids.gridId(), a.json().at("/routing/gridId").asLong());
        assertEquals(
                ids.subdistrictId(),
                TestDatabase.queryLong("SELECT subdistrict_id FROM incident WHERE id = " + id));
        assertEquals(
                200, TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/incidents/" + id).status());
        assertEquals(403, TestServer.getAs("chief", "/api/v1/incidents/" + id).status());
    }
}
