package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time on the map: WMS TIME on incidents and the heatmap (advertised dimension, default, ranges,
 * periods, bad values) and datetime on OGC API Features; a year played month by month as QGIS's
 * temporal controller would.
 */
@Tag("db")
class WmsTimeTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final String INCIDENTS =
            "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=incidents&STYLES=&CRS=EPSG:4326&BBOX="
                    + BBOX_4326_13
                    + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE";
    private static final String HEATMAP =
            "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:4326&BBOX="
                    + SQUARE_13
                    + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE";
    private static final Pattern DIMENSION =
            Pattern.compile(
                    "<Name>(\\w+)</Name>(?:(?!</Layer>).)*?<Dimension name=\"time\" units=\"ISO8601\""
                            + " default=\"([^\"]+)\"[^>]*>([^<]+)</Dimension>",
                    Pattern.DOTALL);

    private static String t(String s) {
        return "&TIME=" + URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void capabilitiesAdvertiseTheTimeDimension() {
        String xml =
                text(getAs("operator", "/ows?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0"));
        Matcher m = DIMENSION.matcher(xml);
        java.util.Set<String> layers = new java.util.TreeSet<>();
        while (m.find()) {
            layers.add(m.group(1));
            assertEquals(TODAY.minusDays(29) + "/" + TODAY, m.group(2), "the last 30 days");
            String[] extent = m.group(3).split("/");
            assertEquals(3, extent.length, m.group(3));
            assertEquals(TODAY.toString(), extent[1]);
            assertEquals("P1D", extent[2]);
            LocalDate first = LocalDate.parse(extent[0]);
            assertTrue(
                    first.isBefore(TODAY.minusDays(300)) && first.isAfter(TODAY.minusDays(400)),
                    "the first incident's day, about a year ago (the demo history): " + first);
        }
        assertEquals(java.util.Set.of("heatmap", "incidents"), layers);
        assertFalse(xml.contains("1000-01-01"), "no placeholder left");
        String anonymous = text(get("/ows?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0"));
        Matcher a = DIMENSION.matcher(anonymous);
        assertTrue(a.find() && a.group(1).equals("heatmap"), "the public heatmap has it too");
        String v111 = text(get("/ows?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1"));
        assertTrue(
                v111.contains("<Dimension name=\"time\" units=\"ISO8601\"/>")
                        && v111.contains(
                                "<Extent name=\"time\" default=\""
                                        + TODAY.minusDays(29)
                                        + "/"
                                        + TODAY
                                        + "\""),
                "WMS 1.1.1 Dimension and Extent");
    }

    @Test
    void incidentsFollowTime() {
        byte[] none = getAs("operator", INCIDENTS).body();
        byte[] byDefault =
                getAs("operator", INCIDENTS + t(TODAY.minusDays(29) + "/" + TODAY)).body();
        assertArrayEquals(byDefault, none, "no TIME is the advertised default");
        String year = TODAY.minusYears(1) + "/" + TODAY;
        int all = paintedPixels(image(getAs("operator", INCIDENTS + t(year))));
        int last30 = paintedPixels(image(getAs("operator", INCIDENTS)));
        assertTrue(
                all > last30 && last30 > 0,
                "a year draws more than 30 days: " + all + " " + last30);
        String month = TODAY.minusMonths(3).toString().substring(0, 7);
        var reduced = getAs("operator", INCIDENTS + t(month));
        assertEquals(200, reduced.statusCode(), text(reduced));
        int inMonth = paintedPixels(image(reduced));
        assertTrue(inMonth > 0 && inMonth < all, "one month, reduced precision: " + inMonth);
        LocalDate start = LocalDate.parse(month + "-01");
        var period =
                getAs(
                        "operator",
                        INCIDENTS + t(start + "/" + start.plusMonths(1).minusDays(1) + "/P1W"));
        assertArrayEquals(reduced.body(), period.body(), "start/end/P1W names the same month");
        var instants =
                getAs(
                        "operator",
                        INCIDENTS + t(start + "T00:00:00Z/" + start.plusMonths(1) + "T00:00:00Z"));
        assertEquals(200, instants.statusCode());
        var html =
                getAs(
                        "operator",
                        "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=incidents"
                                + "&QUERY_LAYERS=incidents&STYLES=&CRS=EPSG:4326&BBOX="
                                + BBOX_4326_13
                                + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=128&J=128"
                                + "&FEATURE_COUNT=50&INFO_FORMAT=application/json"
                                + t("2000-01/" + TODAY));
        assertEquals(200, html.statusCode(), text(html));
    }

    @Test
    void aYearPlaysThroughTheHeatmapMonthByMonth() {
        LocalDate first = TODAY.withDayOfMonth(1).minusMonths(11);
        byte[] previous = null;
        int differing = 0, drawn = 0;
        for (int k = 0; k < 12; k++) {
            LocalDate a = first.plusMonths(k), b = a.plusMonths(1);
            // as QGIS's temporal controller asks: consecutive whole-instant ranges
            var r = get(HEATMAP + t(a + "T00:00:00Z/" + b + "T00:00:00Z"));
            assertEquals(200, r.statusCode(), a + ": " + text(r));
            assertEquals("image/png", type(r));
            if (paintedPixels(image(r)) > 0) drawn++;
            if (previous != null && !Arrays.equals(previous, r.body())) differing++;
            previous = r.body();
        }
        assertTrue(drawn >= 11, "months with incidents are drawn: " + drawn);
        assertTrue(differing >= 10, "consecutive months differ: " + differing);
        var week = getAs("operator", HEATMAP + t(TODAY.minusDays(6) + "/P1W"));
        assertEquals(200, week.statusCode(), text(week));
        var all = getAs("operator", HEATMAP + t(TODAY.minusYears(1) + "/" + TODAY));
        var month = getAs("operator", HEATMAP + t("P1M/" + TODAY));
        assertFalse(Arrays.equals(all.body(), month.body()), "a year is not a month");
        // the web map's own from/to still work, without the 30-day default
        String from = TODAY.minusMonths(6).toString();
        var vendor = get(HEATMAP + "&from=" + from + "&to=" + TODAY.minusMonths(5));
        assertTrue(paintedPixels(image(vendor)) > 0, "from/to months back are drawn");
    }

    @Test
    void badTimeIsAnInvalidDimensionValue() {
        String[] bad = {
            "yesterday",
            "2026-13",
            "2026-02-30",
            TODAY + "/" + TODAY.minusDays(3),
            "2000-01",
            "2000-01-01/2000-12-31",
            TODAY.plusYears(1).toString().substring(0, 4),
            TODAY + "," + TODAY.minusDays(1),
            TODAY.minusDays(9) + "/" + TODAY + "/1W",
        };
        for (String b : bad) {
            for (String q : new String[] {INCIDENTS, HEATMAP}) {
                var r = getAs("operator", q + t(b));
                assertEquals(400, r.statusCode(), b);
                assertTrue(
                        text(r).contains("code=\"InvalidDimensionValue\"")
                                && text(r).contains("locator=\"TIME\""),
                        b + ": " + text(r));
            }
        }
        var blank = get(HEATMAP + t("2000-01") + "&EXCEPTIONS=BLANK");
        assertEquals(200, blank.statusCode(), "a picture when asked for");
        assertEquals(0, paintedPixels(image(blank)));
        var grids = get(INCIDENTS.replace("LAYERS=incidents", "LAYERS=grids") + t("nonsense"));
        assertEquals(200, grids.statusCode(), "layers without the dimension ignore TIME");
    }

    @Test
    void ogcApiDatetime() throws Exception {
        String items = "/ogc/collections/incidents/items?limit=1&datetime=";
        long all =
                TestServer.getAs("operator", "/ogc/collections/incidents/items?limit=1")
                        .json()
                        .get("numberMatched")
                        .asLong();
        String cut = TODAY.minusMonths(6) + "T00:00:00Z";
        long before =
                TestServer.getAs("operator", items + "../" + cut)
                        .json()
                        .get("numberMatched")
                        .asLong();
        long after =
                TestServer.getAs("operator", items + cut + "/..")
                        .json()
                        .get("numberMatched")
                        .asLong();
        assertTrue(before > 0 && after > 0, before + " " + after);
        assertTrue(before + after >= all && before + after <= all + 2, "the halves make the whole");
        String month = TODAY.minusMonths(2).toString().substring(0, 7);
        var m = TestServer.getAs("operator", items + month);
        assertEquals(200, m.status(), m.body());
        long inMonth = m.json().get("numberMatched").asLong();
        assertTrue(inMonth > 0 && inMonth < before + after, "a month: " + inMonth);
        String next = null;
        for (var l : m.json().get("links"))
            if (l.get("rel").asText().equals("next")) next = l.get("href").asText();
        assertNotNull(next);
        assertTrue(next.contains("datetime=" + month), "paging keeps the filter: " + next);
        var bad = TestServer.getAs("operator", items + "2026-13-01");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("datetime"), bad.body());
        var grids = TestServer.get("/ogc/collections/grids/items?limit=1&datetime=" + month);
        assertEquals(200, grids.status(), "collections without time ignore datetime");
        // the collection names its temporal extent: from the first incident's day, open-ended
        var described = TestServer.getAs("operator", "/ogc/collections/incidents").json();
        var interval = described.at("/extent/temporal/interval/0");
        assertTrue(interval.get(1).isNull(), described.toString());
        java.time.Instant start = java.time.Instant.parse(interval.get(0).asText());
        assertTrue(start.isBefore(java.time.Instant.parse(cut)), described.toString());
        assertTrue(
                TestServer.get("/ogc/collections/grids")
                        .json()
                        .at("/extent/temporal")
                        .isMissingNode(),
                "grids have no time");
    }
}
