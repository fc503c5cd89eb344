package org.gridgov.category;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.gridgov.api.Csv;
import org.junit.jupiter.api.Test;

/** The taxonomy file as shipped, and as a spreadsheet would save it (api/Csv reads both). */
class CategoryFileTest {

    static final String HEADER =
            "code,platform,nameZh,nameEn,deadlineHours,weight,authority,urgency,public\r\n";

    static CategoryCatalog parse(String text) {
        return CategoryCatalog.parse(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void todaysFileReadsAsBefore() {
        CategoryCatalog c = CategoryCatalog.fromClasspath();
        assertEquals(59, c.all().size());
        Map<String, Long> perPlatform =
                c.all().stream()
                        .collect(Collectors.groupingBy(Category::platform, Collectors.counting()));
        assertEquals(
                Map.of("ENFORCEMENT", 14L, "GOVERNANCE", 17L, "MARKET", 12L, "SERVICE", 16L),
                perPlatform);
        assertEquals(39, c.all().stream().filter(Category::isPublic).count());
        assertEquals(
                new Category(
                        "GOV_NEIGHBOUR_DISPUTE",
                        "GOVERNANCE",
                        "邻里纠纷",
                        "Neighbour dispute",
                        72,
                        new BigDecimal("1.5"),
                        "SUBDISTRICT",
                        "NORMAL",
                        false),
                c.all().iterator().next());
        assertEquals(
                new Category(
                        "ENF_EXPOSED_GARBAGE",
                        "ENFORCEMENT",
                        "暴露垃圾",
                        "Exposed garbage",
                        8,
                        new BigDecimal("0.5"),
                        "SUBDISTRICT",
                        "NORMAL",
                        true),
                c.find("ENF_EXPOSED_GARBAGE").orElseThrow());
        assertEquals(
                new Category(
                        "SVC_PUBLIC_TOILET",
                        "SERVICE",
                        "公厕设施损坏",
                        "Public toilet facility fault",
                        48,
                        new BigDecimal("0.8"),
                        "SUBDISTRICT",
                        "NORMAL",
                        true),
                c.find("SVC_PUBLIC_TOILET").orElseThrow());
    }

    @Test
    void anExcelSavedTaxonomyWithBomQuotesAndACommaInAName() {
        // "CSV UTF-8" from Excel: byte order mark, CRLF, quotes where a field needs them
        CategoryCatalog c =
                parse(
                        "\uFEFF"
                                + HEADER
                                + "SVC_X,SERVICE,道路、桥梁,\"Roads, paths and \"\"green\"\" ways\","
                                + "24,1.0,SUBDISTRICT,NORMAL,false\r\n");
        Category x = c.find("SVC_X").orElseThrow();
        assertEquals("Roads, paths and \"green\" ways", x.nameEn());
        assertEquals(24, x.deadlineHours());
        assertFalse(x.isPublic());
    }

    @Test
    void aBadNumberNamesFileLineAndColumn() {
        var e =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                parse(
                                        HEADER
                                                + "SVC_A,SERVICE,名,Name,24,1.0,SUBDISTRICT,NORMAL,true\r\n"
                                                + "SVC_B,SERVICE,名,Name,abc,1.0,SUBDISTRICT,NORMAL,true\r\n"));
        assertEquals(
                "gis-data/taxonomy/categories.csv line 3, column deadlineHours:"
                        + " 'abc' is not a whole number",
                e.getMessage());
    }

    @Test
    void aMissingColumnIsNamed() {
        var e =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                parse(
                                        "code,platform,nameZh,nameEn,deadlineHours,authority,urgency,public\n"
                                                + "SVC_A,SERVICE,名,Name,24,SUBDISTRICT,NORMAL,true\n"));
        assertEquals(
                "gis-data/taxonomy/categories.csv line 1: missing column 'weight'", e.getMessage());
    }
}
