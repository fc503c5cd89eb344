package org.gridgov.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.sql.Statement;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The places and facilities layers (ogc/layers.yaml): staff read them through WFS, OGC API Features
 * and vector tiles; anonymous clients are refused; the owner's contact is never published.
 */
@Tag("db")
class PlaceLayersTest {

    static double lon, lat;
    static String ownerPhone, ownerName;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(geom), ST_Y(geom), owner_phone, owner_name FROM place"
                                        + " ORDER BY id LIMIT 1")) {
            rs.next();
            lon = rs.getDouble(1);
            lat = rs.getDouble(2);
            ownerPhone = rs.getString(3);
            ownerName = rs.getString(4);
        }
    }

    @Test
    void staffGetThemThroughWfs() {
        for (String layer : new String[] {"places", "facilities"}) {
            String q =
                    "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES="
                            + layer
                            + "&COUNT=50&OUTPUTFORMAT=application/json";
            Answer a = TestServer.getAs("operator", q);
            assertEquals(200, a.status(), a.body());
            assertTrue(a.json().get("features").size() > 0, a.body());
            assertTrue(a.body().contains("\"kind\""), a.body());
            if (layer.equals("places")) {
                assertFalse(a.body().contains("owner"), "no owner attribute");
                assertFalse(a.body().contains(ownerPhone), "no owner's phone");
            }
            int anonymous = TestServer.get(q).status();
            assertTrue(anonymous == 401 || anonymous == 403, layer + ": " + anonymous);
            // a signed-in role outside the layer's list is refused too
            assertEquals(403, TestServer.getAs("liaison", q).status(), layer);
        }
    }

    @Test
    void theOwnerCannotBeAskedForByName() {
        Answer a =
                TestServer.getAs(
                        "operator",
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=places"
                                + "&COUNT=5&PROPERTYNAME=owner_phone"
                                + "&OUTPUTFORMAT=application/json");
        assertFalse(a.body().contains(ownerPhone), a.body());
        Answer o =
                TestServer.getAs(
                        "operator",
                        "/ogc/collections/places/items?limit=5&f=json&properties=owner_phone");
        assertFalse(o.body().contains(ownerPhone), o.body());
    }

    @Test
    void staffGetThemThroughOgcApiFeatures() {
        Answer a = TestServer.getAs("planner", "/ogc/collections/places/items?limit=5&f=json");
        assertEquals(200, a.status(), a.body());
        assertEquals(5, a.json().get("features").size(), a.body());
        assertTrue(a.json().get("features").get(0).get("properties").has("grid_id"), a.body());
        assertFalse(a.body().contains(ownerPhone));
        Answer f = TestServer.getAs("planner", "/ogc/collections/facilities/items?limit=5&f=json");
        assertEquals(200, f.status(), f.body());
        assertTrue(f.json().get("features").get(0).get("properties").has("department"));
        int anonymous = TestServer.get("/ogc/collections/places/items?limit=5&f=json").status();
        assertTrue(anonymous == 401 || anonymous == 403 || anonymous == 404, "" + anonymous);
    }

    @Test
    void aVectorTileHoldsThem() throws Exception {
        int z = 15;
        int n = 1 << z;
        int x = (int) Math.floor((lon + 180) / 360 * n);
        double rad = Math.toRadians(lat);
        int y =
                (int)
                        Math.floor(
                                (1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI)
                                        / 2
                                        * n);
        String path = "/tiles/places/" + z + "/" + x + "/" + y + ".mvt";
        HttpResponse<byte[]> r = bytes(path, TestServer.token("operator"));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().length > 30, "a tile with the place: " + r.body().length);
        String raw = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(raw.contains("places") && raw.contains("kind"), "the layer and its attributes");
        assertFalse(raw.contains(ownerPhone) || raw.contains(ownerName), "no owner in the tile");
        int anonymous = bytes(path, null).statusCode();
        assertTrue(anonymous == 401 || anonymous == 403, "" + anonymous);
    }

    private static HttpResponse<byte[]> bytes(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.base() + path)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
