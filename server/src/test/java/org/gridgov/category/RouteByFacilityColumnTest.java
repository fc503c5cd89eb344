package org.gridgov.category;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routeByFacility column (docs/places.md) came after files and stored versions without it: they
 * still read, as false; the shipped file marks the street-light and manhole categories.
 */
class RouteByFacilityColumnTest {

    private static final String OLD =
            "code,platform,nameZh,nameEn,deadlineHours,weight,authority,urgency,public\n"
                    + "SVC_A,SERVICE,路灯,Light,24,1.0,SUBDISTRICT,NORMAL,true\n";

    @Test
    void aFileWithoutTheColumnReadsAsFalse() {
        CategoryCatalog c =
                CategoryCatalog.parse(
                        new ByteArrayInputStream(OLD.getBytes(StandardCharsets.UTF_8)));
        assertFalse(c.find("SVC_A").orElseThrow().routeByFacility());
    }

    @Test
    void aFileWithTheColumnKeepsIt() {
        String csv =
                "code,platform,nameZh,nameEn,deadlineHours,weight,authority,urgency,public,"
                        + "routeByFacility\n"
                        + "SVC_A,SERVICE,路灯,Light,24,1.0,SUBDISTRICT,NORMAL,true,true\n";
        CategoryCatalog c =
                CategoryCatalog.parse(
                        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        assertTrue(c.find("SVC_A").orElseThrow().routeByFacility());
    }

    @Test
    void aStoredVersionWithoutTheColumnReads() {
        Map<String, String> row =
                Map.of(
                        "code",
                        "SVC_A",
                        "platform",
                        "SERVICE",
                        "nameZh",
                        "路灯",
                        "nameEn",
                        "Light",
                        "deadlineHours",
                        "24",
                        "weight",
                        "1.0",
                        "authority",
                        "SUBDISTRICT",
                        "urgency",
                        "NORMAL",
                        "public",
                        "true");
        CategorySet set = CategoryCatalog.KIND.read("reference_version 1", List.of(row));
        assertFalse(set.find("SVC_A").orElseThrow().routeByFacility());
    }

    @Test
    void theShippedFileMarksFacilityCategories() {
        CategoryCatalog c = CategoryCatalog.fromClasspath();
        assertTrue(c.find("SVC_STREETLIGHT_OUT").orElseThrow().routeByFacility());
        assertTrue(c.find("SVC_MANHOLE_MISSING").orElseThrow().routeByFacility());
        assertFalse(c.find("SVC_ROAD_POTHOLE").orElseThrow().routeByFacility());
    }
}
