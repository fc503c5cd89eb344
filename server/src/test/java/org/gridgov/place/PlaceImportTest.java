package org.gridgov.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Imports of places and facilities (docs/places.md): GeoJSON or CSV, matched by code, all or
 * nothing, every problem with its feature or line; planners only.
 */
@Tag("db")
class PlaceImportTest {

    static double[][] inUnit = new double[2][];

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p"
                                        + " FROM base_unit WHERE retired_at IS NULL ORDER BY id"
                                        + " LIMIT 2) x")) {
            for (int i = 0; i < 2; i++) {
                rs.next();
                inUnit[i] = new double[] {rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    static String feature(String code, String kind, double lon, double lat) {
        return """
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [%s, %s]},
                 "properties": {"code": "%s", "kind": "%s", "name": "测试小店",
                                "owner_name": "赵先生", "owner_phone": "13700001111"}}"""
                .formatted(lon, lat, code, kind);
    }

    static String collection(String... features) {
        return "{\"type\": \"FeatureCollection\", \"features\": ["
                + String.join(",", features)
                + "]}";
    }

    static Answer post(String user, String path, String body, String type) {
        return TestServer.post(
                path,
                body,
                "Authorization",
                "Bearer " + TestServer.token(user),
                "Content-Type",
                type);
    }

    static long count(String sql) throws Exception {
        return TestDatabase.queryLong(sql);
    }

    /**
     * As for base units: a GeoPackage in the planar CRS (EPSG:4549), made here with ogr2ogr, is
     * converted to GeoJSON in EPSG:4326 and read as one; the points land where they were.
     */
    @Test
    void placesComeInFromAGeoPackageInAPlanarCrs() throws Exception {
        Path dir = Files.createTempDirectory("places-gpkg");
        Path in = dir.resolve("in.geojson"), gpkg = dir.resolve("places.gpkg");
        Files.writeString(
                in,
                collection(
                        feature("IMP-G1", "SHOP", inUnit[0][0], inUnit[0][1]),
                        feature("IMP-G2", "SCHOOL", inUnit[1][0], inUnit[1][1])));
        Process p =
                new ProcessBuilder(
                                "ogr2ogr",
                                "-f",
                                "GPKG",
                                "-s_srs",
                                "EPSG:4326",
                                "-t_srs",
                                "EPSG:4549",
                                gpkg.toString(),
                                in.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        byte[] bytes = Files.readAllBytes(gpkg);
        HttpRequest.Builder req =
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/places/import"))
                        .header("Authorization", "Bearer " + TestServer.token("planner"))
                        .header("Content-Type", "application/geopackage+sqlite3")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Answer a = TestServer.send(req.build());
        assertEquals(200, a.status(), a.body());
        assertEquals(2, a.json().get("inserted").asInt(), a.body());
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(geom), ST_Y(geom), kind, owner_phone FROM place"
                                        + " WHERE code = 'IMP-G1'")) {
            assertTrue(rs.next());
            assertEquals(inUnit[0][0], rs.getDouble(1), 1e-6, "back in EPSG:4326");
            assertEquals(inUnit[0][1], rs.getDouble(2), 1e-6);
            assertEquals("SHOP", rs.getString(3));
            assertEquals("13700001111", rs.getString(4));
        }
        // a bad srs= is a 400 naming it, and nothing is written
        long before = count("SELECT count(*) FROM place");
        Answer bad =
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                TestServer.base()
                                                        + "/api/v1/facilities/import?srs=EPSG:9999"))
                                .header("Authorization", "Bearer " + TestServer.token("planner"))
                                .header("Content-Type", "application/geopackage+sqlite3")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .build());
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("srs"), bad.body());
        assertEquals(before, count("SELECT count(*) FROM place"));
    }

    @Test
    void placesComeInFromGeoJsonAndAgainByCode() throws Exception {
        String fc =
                collection(
                        feature("IMP-A", "SHOP", inUnit[0][0], inUnit[0][1]),
                        feature("IMP-B", "RESTAURANT", inUnit[1][0], inUnit[1][1]));
        Answer a = post("planner", "/api/v1/places/import", fc, "application/geo+json");
        assertEquals(200, a.status(), a.body());
        assertEquals(2, a.json().get("inserted").asInt());
        assertEquals(1, count("SELECT count(*) FROM place WHERE code = 'IMP-A' AND unit_id > 0"));
        Answer again =
                post(
                        "admin",
                        "/api/v1/places/import",
                        fc.replace("测试小店", "改名小店"),
                        "application/json");
        assertEquals(200, again.status(), again.body());
        assertEquals(2, again.json().get("updated").asInt());
        assertEquals(
                2, count("SELECT count(*) FROM place WHERE code LIKE 'IMP-_' AND name = '改名小店'"));
    }

    @Test
    void oneBadPlaceRefusesTheWholeFileSayingWhere() throws Exception {
        long before = count("SELECT count(*) FROM place");
        String fc =
                collection(
                        feature("IMP-C", "SHOP", inUnit[0][0], inUnit[0][1]),
                        feature("IMP-D", "SHOP", 100.0, 10.0),
                        feature("IMP-E", "CASTLE", inUnit[0][0], inUnit[0][1]),
                        feature("IMP-C", "SHOP", inUnit[1][0], inUnit[1][1]));
        Answer a = post("planner", "/api/v1/places/import", fc, "application/geo+json");
        assertEquals(422, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"));
        String errors = a.json().get("errors").toString();
        assertTrue(errors.contains("feature 2") && errors.contains("kind"), errors);
        assertTrue(errors.contains("feature 3") && errors.contains("twice"), errors);
        assertEquals(before, count("SELECT count(*) FROM place"), "nothing written");
        // the unit check: only the place outside every unit is wrong
        Answer outside =
                post(
                        "planner",
                        "/api/v1/places/import",
                        collection(
                                feature("IMP-F", "SHOP", inUnit[0][0], inUnit[0][1]),
                                feature("IMP-G", "SHOP", 100.0, 10.0)),
                        "application/geo+json");
        assertEquals(422, outside.status(), outside.body());
        assertTrue(
                outside.body().contains("feature 1")
                        && outside.body().contains("outside every base unit"),
                outside.body());
        assertEquals(before, count("SELECT count(*) FROM place"), "nothing written");
    }

    @Test
    void facilitiesComeInFromCsv() throws Exception {
        String csv =
                "code,kind,department,lon,lat\r\n"
                        + "IMP-SL1,STREET_LIGHT,LIGHTING,"
                        + inUnit[0][0]
                        + ","
                        + inUnit[0][1]
                        + "\r\n";
        Answer a = post("planner", "/api/v1/facilities/import", csv, "text/csv");
        assertEquals(200, a.status(), a.body());
        assertEquals(1, count("SELECT count(*) FROM facility WHERE code = 'IMP-SL1'"));
        long before = count("SELECT count(*) FROM facility");
        Answer bad =
                post(
                        "planner",
                        "/api/v1/facilities/import",
                        csv.replace("IMP-SL1", "IMP-SL2")
                                + "IMP-SL3,HYDRANT,NOWHERE,120.3,30.2\r\n",
                        "text/csv");
        assertEquals(422, bad.status(), bad.body());
        assertTrue(bad.body().contains("line 3") && bad.body().contains("NOWHERE"), bad.body());
        assertEquals(before, count("SELECT count(*) FROM facility"), "nothing written");
        Answer garbled =
                post("planner", "/api/v1/facilities/import", "code,kind\r\nX,Y\r\n", "text/csv");
        assertEquals(422, garbled.status(), garbled.body());
    }

    @Test
    void plannersOnly() {
        String fc = collection(feature("IMP-Z", "SHOP", inUnit[0][0], inUnit[0][1]));
        assertEquals(
                401,
                TestServer.post("/api/v1/places/import", fc, "Content-Type", "application/geo+json")
                        .status());
        assertEquals(
                403,
                post("operator", "/api/v1/places/import", fc, "application/geo+json").status());
        Answer wrongType = post("planner", "/api/v1/places/import", fc, "text/plain");
        assertEquals(415, wrongType.status(), wrongType.body());
    }
}
