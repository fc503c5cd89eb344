package org.gridgov.area;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many subdistricts in one district (docs/district.md): where a point lies, the tie rule on a
 * shared boundary, and GET /api/v1/subdistricts under the isolation rule.
 */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class JurisdictionsTest {

    @Test
    void locatesEachSubdistrictTheDistrictAndOutside() throws Exception {
        var ids = SecondSubdistrict.install();
        Jurisdictions areas = Jurisdictions.load(TestDatabase.get().dataSource());
        assertEquals(
                java.util.List.of(SecondSubdistrict.FIRST_CODE, SecondSubdistrict.CODE),
                areas.subdistricts().stream().map(Jurisdictions.Subdistrict::code).toList());

        Jurisdictions.Location second = areas.locate(ids.lon(), ids.lat());
        assertEquals(Jurisdictions.Where.SUBDISTRICT, second.where());
        assertEquals(ids.subdistrictId(), second.subdistrictId());
        assertEquals(SecondSubdistrict.NAME, second.subdistrict().name());

        // covered by both: the lowest code wins
        Jurisdictions.Location tie = areas.locate(ids.boundaryLon(), ids.boundaryLat());
        assertEquals(Jurisdictions.Where.SUBDISTRICT, tie.where());
        assertEquals(ids.firstSubdistrictId(), tie.subdistrictId());
        assertEquals(SecondSubdistrict.FIRST_CODE, tie.subdistrict().code());

        double[] d = SecondSubdistrict.districtOnly();
        Jurisdictions.Location district = areas.locate(d[0], d[1]);
        assertEquals(Jurisdictions.Where.DISTRICT, district.where());
        assertNull(district.subdistrict());

        assertEquals(Jurisdictions.Where.OUTSIDE, areas.locate(100.0, 20.0).where());
        assertEquals(
                Set.of(SecondSubdistrict.FIRST_CODE, SecondSubdistrict.CODE, "330108"),
                areas.codes());
        // with several subdistricts the service's name is the district's
        assertEquals(areas.districtName(), areas.subdistrictName());
        assertFalse(areas.refreshIfChanged(), "nothing changed since the load");
    }

    @Test
    void aNewSubdistrictIsSeenOnRefresh() throws Exception {
        Jurisdictions areas = Jurisdictions.load(TestDatabase.get().dataSource());
        var ids = SecondSubdistrict.install(); // perhaps only now
        areas.refreshIfChanged();
        assertEquals(ids.subdistrictId(), areas.locate(ids.lon(), ids.lat()).subdistrictId());
    }

    private static Set<String> codes(TestServer.Answer a) {
        assertEquals(200, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/geo+json"), a.contentType());
        Set<String> out = new HashSet<>();
        for (JsonNode f : a.json().get("features")) {
            assertTrue(f.at("/geometry/type").asText().endsWith("Polygon"));
            assertEquals(f.get("id").asLong(), f.at("/properties/id").asLong());
            out.add(f.at("/properties/code").asText());
        }
        return out;
    }

    @Test
    void subdistrictListFollowsTheIsolationRule() throws Exception {
        var ids = SecondSubdistrict.install();
        assertEquals(
                Set.of(SecondSubdistrict.FIRST_CODE, SecondSubdistrict.CODE),
                codes(TestServer.getAs("doperator", "/api/v1/subdistricts")));
        assertEquals(
                Set.of(SecondSubdistrict.FIRST_CODE),
                codes(TestServer.getAs("chief", "/api/v1/subdistricts")));
        TestServer.Answer own = TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/subdistricts");
        assertEquals(Set.of(SecondSubdistrict.CODE), codes(own));
        assertEquals(SecondSubdistrict.NAME, own.json().at("/features/0/properties/name").asText());
        assertEquals(ids.subdistrictId(), own.json().at("/features/0/id").asLong());
        assertEquals(1, own.json().at("/features/0/properties/communities").asLong());
        assertEquals(401, TestServer.get("/api/v1/subdistricts").status());
    }
}
