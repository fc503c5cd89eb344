package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Capabilities list only the layers the caller may see: anonymous callers the public ones; an
 * account the public ones plus the restricted layers its roles allow (incidents: platform
 * commanders yes, village cadres no; base units the other way round).
 */
@Tag("db")
class RoleCapabilitiesTest {

    private static final Pattern WMS_NAME =
            Pattern.compile("<Layer\\b[^>]*>\\s*<Name>([^<]+)</Name>");
    private static final Pattern WFS_NAME =
            Pattern.compile(
                    "<(?:wfs:)?FeatureType\\b[^>]*>\\s*<(?:wfs:)?Name>([^<]+)</(?:wfs:)?Name>");

    private static List<String> names(Pattern p, String xml) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(xml);
        while (m.find()) out.add(m.group(1).replaceFirst("^\\w+:", ""));
        return out;
    }

    private static String caps(String user, String query) {
        var a =
                user == null
                        ? TestServer.get("/ows?" + query)
                        : TestServer.getAs(user, "/ows?" + query);
        assertEquals(200, a.status(), a.body());
        return a.body();
    }

    private static final String WMS13 = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities";
    private static final String WMS11 = "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetCapabilities";
    private static final String WFS20 = "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities";
    private static final String WFS11 = "SERVICE=WFS&VERSION=1.1.0&REQUEST=GetCapabilities";

    @Test
    void anonymousSeesPublicLayersOnly() {
        for (String q : List.of(WMS13, WMS11)) {
            List<String> n = names(WMS_NAME, caps(null, q));
            assertTrue(
                    n.containsAll(List.of("grids", "communities", "heatmap", "workload")),
                    q + ": " + n);
            assertFalse(n.contains("incidents") || n.contains("base_units"), q + ": " + n);
        }
        for (String q : List.of(WFS20, WFS11)) {
            List<String> n = names(WFS_NAME, caps(null, q));
            assertTrue(n.contains("grids"), q + ": " + n);
            assertFalse(n.contains("incidents") || n.contains("base_units"), q + ": " + n);
        }
        List<String> cols = new ArrayList<>();
        TestServer.get("/ogc/collections")
                .json()
                .get("collections")
                .forEach(c -> cols.add(c.get("id").asText()));
        assertTrue(
                cols.contains("grids")
                        && !cols.contains("incidents")
                        && !cols.contains("base_units"),
                cols.toString());
    }

    @Test
    void eachAccountSeesWhatItsRolesAllow() {
        // operator: every layer; platform commander: incidents, not base units; village cadre: the
        // reverse;
        // district liaison: signed in, but no restricted layer.
        String commander = "governance.commander",
                cadre = "vc330108001003"; // demo data is seeded: the same accounts every run
        record Case(String user, boolean incidents, boolean baseUnits) {}
        for (Case c :
                List.of(
                        new Case("operator", true, true),
                        new Case(commander, true, false),
                        new Case(cadre, false, true),
                        new Case("liaison", false, false))) {
            for (String q : List.of(WMS13, WMS11)) {
                List<String> n = names(WMS_NAME, caps(c.user, q));
                assertEquals(c.incidents, n.contains("incidents"), c.user + " " + q + ": " + n);
                assertEquals(c.baseUnits, n.contains("base_units"), c.user + " " + q + ": " + n);
                assertTrue(n.contains("grids"), c.user + " " + q);
            }
            for (String q : List.of(WFS20, WFS11)) {
                List<String> n = names(WFS_NAME, caps(c.user, q));
                assertEquals(c.incidents, n.contains("incidents"), c.user + " " + q + ": " + n);
                assertEquals(c.baseUnits, n.contains("base_units"), c.user + " " + q + ": " + n);
            }
            List<String> cols = new ArrayList<>();
            TestServer.getAs(c.user, "/ogc/collections")
                    .json()
                    .get("collections")
                    .forEach(x -> cols.add(x.get("id").asText()));
            assertEquals(c.incidents, cols.contains("incidents"), c.user + ": " + cols);
            assertEquals(c.baseUnits, cols.contains("base_units"), c.user + ": " + cols);
        }
        // Data follows the same rule: the commander may not read base units.
        assertEquals(
                403,
                TestServer.getAs(
                                commander,
                                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=base_units&COUNT=1")
                        .status());
        assertEquals(
                200,
                TestServer.getAs(
                                commander,
                                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=incidents&COUNT=1&OUTPUTFORMAT=application/json")
                        .status());
    }
}
