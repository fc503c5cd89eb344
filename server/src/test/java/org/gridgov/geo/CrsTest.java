package org.gridgov.geo;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The offered CRSs follow the deployment's planar CRS; the default deployment's are unchanged. */
class CrsTest {

    @Test
    void theDefaultDeploymentOffersWhatItAlwaysDid() {
        assertEquals(List.of(4326, 4490, 3857, 4549), Crs.offered(Crs.PLANAR_DEFAULT));
        assertEquals(
                Set.of(4326, 4490, 4549),
                Crs.offered(Crs.PLANAR_DEFAULT).stream()
                        .filter(Crs::northFirst)
                        .collect(Collectors.toSet()));
        assertEquals(
                "EPSG:4326 EPSG:4490 EPSG:3857 EPSG:4549", Crs.offered(Crs.PLANAR_DEFAULT, " "));
    }

    @Test
    void anotherPlanarCrsIsOfferedInsteadOf4549() {
        assertEquals(List.of(4326, 4490, 3857, 32651), Crs.offered(32651));
        assertEquals("EPSG:4326, EPSG:4490, EPSG:3857, EPSG:32651", Crs.offered(32651, ", "));
        assertEquals(List.of(4326, 4490, 3857), Crs.offered(3857), "no CRS twice");
        assertFalse(Crs.northFirst(32651), "UTM is easting first");
        assertTrue(Crs.northFirst(4545), "CGCS2000 Gauss-Kruger CM 108E is northing first");
        assertFalse(Crs.northFirst(3857));
    }
}
