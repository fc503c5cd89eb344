package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Personal data over the OGC services (docs/personal-data.md): a client that asks for the reporter
 * by name — WMS GetFeatureInfo in every format, WFS GetFeature with PROPERTYNAME, GetPropertyValue,
 * a filter on the phone, OGC API Features with properties=, vector tiles — gets neither the name
 * nor the phone, masked or not, even as a role that sees the incidents layer. The layer publishes
 * no reporter column and MapServer's database role may not read one (db/Grants).
 */
@Tag("db")
class OgcReporterTest {

    static final String NAME = "钱女士", PHONE = "13711112222";
    static double lon, lat;
    static long id;

    @BeforeAll
    static void report() {
        DemoFixture.Probe p = DemoFixture.probe();
        lon = p.lon();
        lat = p.lat();
        Answer a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        """
                {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s},
                 "description": "测试", "reporter": {"name": "%s", "phone": "%s"}}"""
                                .formatted(
                                        DemoFixture.subdistrictCategory(), lon, lat, NAME, PHONE));
        assertEquals(201, a.status(), a.body());
        id = a.json().get("id").asLong();
    }

    /** The vector tile holding the case at zoom z (web mercator XYZ). */
    static String tile(int z) {
        double n = 1 << z, r = Math.toRadians(lat);
        long x = (long) Math.floor((lon + 180) / 360 * n);
        long y = (long) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
        return "/tiles/incidents/" + z + "/" + x + "/" + y + ".mvt";
    }

    @Test
    void askingForReporterFieldsGetsNone() {
        String bbox4326 =
                (lat - 0.0005) + "," + (lon - 0.0005) + "," + (lat + 0.0005) + "," + (lon + 0.0005);
        String info =
                "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=incidents"
                        + "&QUERY_LAYERS=incidents&STYLES=&CRS=EPSG:4326&BBOX="
                        + bbox4326
                        + "&WIDTH=101&HEIGHT=101&FORMAT=image/png&I=50&J=50&FEATURE_COUNT=50"
                        + "&INFO_FORMAT=";
        String wfs = "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=";
        String filter =
                "<fes:Filter xmlns:fes=\"http://www.opengis.net/fes/2.0\"><fes:PropertyIsEqualTo>"
                        + "<fes:ValueReference>reporter_phone</fes:ValueReference>"
                        + "<fes:Literal>"
                        + PHONE
                        + "</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>";
        List<String> asked =
                List.of(
                        info + "application/json",
                        info + "text/html",
                        info + "application/vnd.ogc.gml",
                        wfs
                                + "GetFeature&TYPENAMES=incidents&OUTPUTFORMAT=json"
                                + "&PROPERTYNAME=reporter_name,reporter_phone&COUNT=5000",
                        wfs
                                + "GetFeature&TYPENAMES=incidents&PROPERTYNAME=reporter_phone"
                                + "&COUNT=5000",
                        wfs + "GetPropertyValue&TYPENAMES=incidents&VALUEREFERENCE=reporter_phone",
                        wfs + "GetPropertyValue&TYPENAMES=incidents&VALUEREFERENCE=reporter_name",
                        wfs
                                + "GetFeature&TYPENAMES=incidents&OUTPUTFORMAT=json&FILTER="
                                + java.net.URLEncoder.encode(
                                        filter, java.nio.charset.StandardCharsets.UTF_8),
                        wfs + "DescribeFeatureType&TYPENAMES=incidents",
                        "/ogc/collections/incidents/items/" + id,
                        "/ogc/collections/incidents/items/" + id + "?properties=reporter_phone",
                        "/ogc/collections/incidents/items?limit=1000&properties=reporter_name,"
                                + "reporter_phone&bbox="
                                + (lon - 0.0005)
                                + ","
                                + (lat - 0.0005)
                                + ","
                                + (lon + 0.0005)
                                + ","
                                + (lat + 0.0005),
                        "/ogc/collections/incidents/items?reporter_phone=" + PHONE,
                        "/ogc/collections/incidents",
                        "/tiles/incidents.json",
                        tile(16),
                        tile(18));
        List<String> wrong = new ArrayList<>();
        for (String path : asked) {
            Answer a = TestServer.getAs("operator", path);
            String body = a.body();
            if (body.contains(PHONE) || body.contains(NAME))
                wrong.add(path + " carries the reporter: " + a.status());
            if (body.contains("137****2222") || body.contains("钱**"))
                wrong.add(path + " carries the reporter masked: " + a.status());
            if (a.status() == 200 && body.contains("reporter_"))
                wrong.add(path + " names a reporter field: " + body);
        }
        assertEquals(List.of(), wrong);
        // not vacuous: GetFeatureInfo does find the case there
        Answer found = TestServer.getAs("operator", info + "application/json");
        assertEquals(200, found.status(), found.body());
        boolean seen = false;
        for (var f : found.json().get("features"))
            seen |= f.path("id").asLong() == id || f.at("/properties/id").asLong() == id;
        assertTrue(seen, "GetFeatureInfo finds the case: " + found.body());
    }
}
