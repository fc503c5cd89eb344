package org.gridgov.category;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("db")
@ExtendWith(PostgisExtension.class)
class CategoryCatalogTest {

    @Test
    void theTaxonomyCoversTheFourPlatformsWithAtLeast30Categories() {
        CategoryCatalog catalog = CategoryCatalog.fromClasspath();
        assertTrue(catalog.all().size() >= 30, "categories: " + catalog.all().size());
        Map<String, Integer> perPlatform = new HashMap<>();
        for (Category c : catalog.all()) {
            perPlatform.merge(c.platform(), 1, Integer::sum);
            assertTrue(c.deadlineHours() > 0, c.code());
            assertTrue(c.weight().signum() > 0, c.code());
            assertTrue(Set.of("SUBDISTRICT", "DISTRICT").contains(c.authority()), c.code());
            assertFalse(c.nameZh().isBlank() || c.nameEn().isBlank(), c.code());
        }
        assertEquals(
                Set.of("GOVERNANCE", "MARKET", "ENFORCEMENT", "SERVICE"), perPlatform.keySet());
        assertTrue(
                catalog.all().stream().anyMatch(Category::districtAuthority),
                "some matters go to the district");
    }

    @Test
    void aMalformedTaxonomyIsRefusedWithItsLine() {
        String csv =
                "code,platform,nameZh,nameEn,deadlineHours,weight,authority,urgency,public\nA_B,SERVICE,名,Name,24\n";
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                CategoryCatalog.parse(
                                        new ByteArrayInputStream(
                                                csv.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void thePublicFlagIsSpeltOutAndSensitiveMattersArePrivate() throws Exception {
        String csv =
                "code,platform,nameZh,nameEn,deadlineHours,weight,authority,urgency,public\n"
                        + "SVC_X,SERVICE,名,Name,24,1.0,SUBDISTRICT,NORMAL,yes\n";
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                CategoryCatalog.parse(
                                        new ByteArrayInputStream(
                                                csv.getBytes(StandardCharsets.UTF_8))));
        assertEquals(
                "gis-data/taxonomy/categories.csv line 2, column public:"
                        + " must be true or false, found 'yes'",
                e.getMessage());

        CategoryCatalog file = CategoryCatalog.fromClasspath();
        for (String code :
                new String[] {
                    "GOV_MAJOR_CRIMINAL_CASE",
                    "GOV_FAMILY_DISPUTE",
                    "GOV_NEIGHBOUR_DISPUTE",
                    "GOV_PETITION_VISIT",
                    "GOV_SPECIAL_POPULATION",
                    "MKT_COUNTERFEIT_DRUG_MFG",
                    "SVC_ELDERLY_CARE"
                }) {
            assertFalse(
                    file.find(code).orElseThrow().isPublic(), code + " is never listed publicly");
        }
        assertTrue(file.find("ENF_STREET_VENDING").orElseThrow().isPublic());
        // sync copies the flag into the table the public queries join on
        CategoryCatalog db =
                CategoryCatalog.load(org.gridgov.testing.TestDatabase.get().dataSource());
        for (Category c : file.all())
            assertEquals(c.isPublic(), db.find(c.code()).orElseThrow().isPublic(), c.code());
    }

    @Test
    void theApiServesTheTaxonomy() {
        var a = TestServer.get("/api/v1/categories");
        assertEquals(200, a.status());
        var list = a.json().get("categories");
        assertEquals(CategoryCatalog.fromClasspath().all().size(), list.size());
        var first = list.get(0);
        for (String f :
                new String[] {
                    "code",
                    "platform",
                    "deadlineHours",
                    "weight",
                    "authority",
                    "nameZh",
                    "nameEn",
                    "public"
                }) {
            assertTrue(first.hasNonNull(f), "field " + f);
        }
    }
}
