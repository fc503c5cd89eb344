package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gridgov.demo.DemoData;
import org.gridgov.demo.DemoParams;
import org.gridgov.demo.DemoSubdistrict;
import org.gridgov.testing.EmptyServer;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.io.geojson.GeoJsonWriter;

/**
 * Issue #16, onboarding an area, as a new subdistrict goes through it: an empty database, a server
 * started with GRIDGOV_DEMO=off, the first ADMIN from {@code admin create-user}; then a second
 * generated area (another seed, moved 40 km east and 25 km north of the demo's) exported to files
 * by ogr2ogr in EPSG:4490, 4549 and 4326 — boundary, communities, base units, roads — imported with
 * a report and a dry run before each commit, a first plan grown by the rebalancer, staff created
 * through the API, the plan adopted, and a report routed to the new grid worker. Bad files on the
 * way answer 4xx and change nothing.
 */
@Tag("db")
class OnboardingTest {

    static final double DX = 40_000, DY = 25_000;
    static EmptyServer server;
    static String admin;
    static DemoData area;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        TestServer.get(); // the shared test database (and its cluster) first
        server = EmptyServer.start("gridgov_onboard_" + ProcessHandle.current().pid(), Map.of());
        admin = server.firstAccount("gis.admin", "ADMIN", "harbour-lantern-violet-77");
        area = DemoSubdistrict.generate(new DemoParams(20261125L, 0, 400, 1_200, 6));
        dir = Files.createTempDirectory("onboarding");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    // ---------------------------------------------------------------- files

    static Geometry moved(Geometry g) {
        return AffineTransformation.translationInstance(DX, DY).transform(g);
    }

    /** A GeoJSON FeatureCollection in EPSG:4549 (named in its crs member). */
    static <T> String collection(
            List<T> items, Function<T, Geometry> geom, Function<T, Map<String, Object>> props) {
        ObjectNode fc = TestServer.JSON.createObjectNode();
        fc.put("type", "FeatureCollection");
        fc.putObject("crs")
                .put("type", "name")
                .putObject("properties")
                .put("name", "urn:ogc:def:crs:EPSG::4549");
        ArrayNode features = fc.putArray("features");
        GeoJsonWriter w = new GeoJsonWriter(2);
        w.setEncodeCRS(false);
        for (T item : items) {
            ObjectNode f = features.addObject();
            f.put("type", "Feature");
            f.set("properties", TestServer.JSON.valueToTree(props.apply(item)));
            try {
                f.set("geometry", TestServer.JSON.readTree(w.write(moved(geom.apply(item)))));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return fc.toString();
    }

    /** ogr2ogr: the GeoJSON (EPSG:4549) to a file of the driver in the CRS; its path. */
    static Path ogr(String geojson, String driver, String name, int crs) throws Exception {
        return AreaImportTest.ogr(dir, geojson, driver, name, crs);
    }

    static byte[] zip(Path shp) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String base = shp.getFileName().toString().replaceFirst("\\.shp$", "");
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String ext : List.of("shp", "shx", "dbf", "prj", "cpg")) {
                Path f = shp.resolveSibling(base + "." + ext);
                if (!Files.exists(f)) continue;
                z.putNextEntry(new ZipEntry(base + "." + ext));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String boundaryJson() {
        return collection(
                List.of("SUBDISTRICT", "DISTRICT"),
                l -> l.equals("SUBDISTRICT") ? area.subdistrict() : area.district(),
                l ->
                        l.equals("SUBDISTRICT")
                                ? Map.of("code", "330109002", "name", "东湖街道", "level", l)
                                : Map.of("code", "330109", "name", "东湖区", "level", l));
    }

    static String communitiesJson() {
        return collection(
                area.communities(),
                DemoData.Community::geom,
                c ->
                        Map.of(
                                "code", c.code(),
                                "name", c.name(),
                                "kind", c.kind().name()));
    }

    static Map<String, Object> unitProps(DemoData.Unit u) {
        String community = area.communities().get((int) u.communityId() - 1).code();
        return Map.of(
                "code", u.code(),
                "community", community,
                "households", u.households(),
                "population", u.population(),
                "land_use", u.landUse(),
                "address", "东湖路" + u.id() + "号");
    }

    static String roadsJson() {
        return collection(
                area.roadEdges(),
                DemoData.RoadEdge::geom,
                e -> Map.of("road_class", e.roadClass(), "oneway", "no"));
    }

    // ---------------------------------------------------------------- HTTP

    static Answer upload(String query, byte[] body, String... headers) {
        return server.upload("/api/v1/imports" + query, admin, body, headers);
    }

    /** Uploads, waits for the job, returns its report. */
    static JsonNode report(String query, byte[] body) throws Exception {
        Answer a = upload(query, body);
        assertEquals(202, a.status(), a.body());
        JsonNode job = server.awaitJob(a.json().get("jobId").asText(), admin);
        assertEquals("DONE", job.get("status").asText(), job.toString());
        return job.get("result");
    }

    /** A clean report's dry run, then its commit; the commit's answer. */
    static JsonNode dryRunThenCommit(JsonNode report) throws Exception {
        String before = fingerprint();
        String path = "/api/v1/imports/" + report.get("importId").asText() + "/commit";
        Answer dry = server.post(path, admin, "{\"dryRun\": true}");
        assertEquals(200, dry.status(), dry.body());
        assertTrue(dry.json().get("dryRun").asBoolean());
        assertEquals(before, fingerprint(), "a dry run changes nothing");
        Answer commit = server.post(path, admin, "{}");
        assertTrue(commit.status() == 200 || commit.status() == 201, commit.body());
        return commit.json();
    }

    static Set<String> types(JsonNode report, String severity) {
        Set<String> s = new HashSet<>();
        for (JsonNode p : report.get("problems"))
            if (p.get("severity").asText().equals(severity)) s.add(p.get("type").asText());
        return s;
    }

    static JsonNode problem(JsonNode report, String type) {
        for (JsonNode p : report.get("problems")) if (p.get("type").asText().equals(type)) return p;
        throw new AssertionError("no " + type + " in " + report.get("problems"));
    }

    static String fingerprint() throws Exception {
        return server.queryLong("SELECT count(*) FROM jurisdiction")
                + "/"
                + server.queryLong("SELECT count(*) FROM community")
                + "/"
                + server.queryLong("SELECT count(*) FROM base_unit")
                + "/"
                + server.queryLong("SELECT count(*) FROM road_edge")
                + "/"
                + server.queryLong("SELECT count(*) FROM grid_plan")
                + "/"
                + server.queryLong("SELECT count(*) FROM job");
    }

    /** The cells of a hot-spot analysis: every square cell of the study area, empty or not. */
    static int hotSpotCells() {
        Answer a = server.get("/api/v1/analytics/hotspots?size=200", admin);
        assertEquals(200, a.status(), a.body());
        return a.json().get("features").size();
    }

    static void assertProblem(Answer a, int status, String type) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertTrue(a.json().get("type").asText().endsWith("/" + type), a.body());
    }

    // ---------------------------------------------------------------- the walk-through

    @Test
    void anEmptyDeploymentStartsAndOnboardsASecondAreaUpToARoutedReport() throws Exception {
        // started with no area: no demo accounts, no plan, reports refused as out of area
        assertEquals(1, server.queryLong("SELECT count(*) FROM staff"), "only the admin");
        assertEquals(0, server.queryLong("SELECT count(*) FROM jurisdiction"));
        assertEquals(200, server.get("/api/v1/plans", admin).status());
        double[] probe = insidePoint();
        Answer early = report(probe);
        assertProblem(early, 422, "out-of-area");
        assertTrue(
                early.json().get("detail").asText().contains("no boundary has been imported yet"),
                early.body());

        badFilesAreRefusedAndChangeNothing();
        assertEquals(0, hotSpotCells(), "no subdistrict: the hot spots' study area is empty");

        // 1. boundary (GeoJSON, EPSG:4490)
        JsonNode b =
                report(
                        "?kind=boundary",
                        Files.readAllBytes(ogr(boundaryJson(), "GeoJSON", "b.geojson", 4490)));
        assertTrue(b.get("valid").asBoolean(), b.toString());
        assertEquals("added", b.at("/changes/subdistrict").asText(), b.toString());
        dryRunThenCommit(b);
        assertEquals(2, server.queryLong("SELECT count(*) FROM jurisdiction"));
        // the commit re-read the boundaries (app/AreaRefresh): hot spots cover the new subdistrict
        assertTrue(hotSpotCells() > 0, "the study area follows the imported boundary");

        // 2. communities (zipped Shapefile, EPSG:4549): first a file with a gap and an overlap
        String cj = communitiesJson();
        JsonNode bad =
                report(
                        "?kind=communities",
                        zip(ogr(shifted(cj), "ESRI Shapefile", "cbad.shp", 4549)));
        assertFalse(bad.get("valid").asBoolean(), bad.toString());
        assertTrue(types(bad, "error").contains("overlap"), bad.get("problems").toString());
        assertTrue(types(bad, "warning").contains("gap"), bad.get("problems").toString());
        assertTrue(problem(bad, "overlap").get("location").has("coordinates"));
        assertTrue(problem(bad, "gap").get("location").has("coordinates"));
        Answer refused =
                server.post(
                        "/api/v1/imports/" + bad.get("importId").asText() + "/commit", admin, "{}");
        assertProblem(refused, 409, "import-invalid");
        assertEquals(0, server.queryLong("SELECT count(*) FROM community"));
        JsonNode c = report("?kind=communities", zip(ogr(cj, "ESRI Shapefile", "c.shp", 4549)));
        assertTrue(c.get("valid").asBoolean(), c.get("problems").toString());
        dryRunThenCommit(c);
        assertEquals(6, server.queryLong("SELECT count(*) FROM community"));

        // 3. base units (GeoPackage, EPSG:4326): first with a duplicate code, a unit outside
        // every community, one straddling two and a ring that touches itself (repaired)
        List<DemoData.Unit> units = area.units();
        JsonNode ub =
                report(
                        "?kind=units",
                        Files.readAllBytes(ogr(badUnits(units), "GPKG", "ubad.gpkg", 4326)));
        assertFalse(ub.get("valid").asBoolean());
        Set<String> errors = types(ub, "error");
        assertTrue(
                errors.containsAll(
                        Set.of("duplicate-code", "unit-outside-community", "crosses-community")),
                ub.get("problems").toString());
        assertTrue(types(ub, "warning").contains("repaired-geometry"), ub.toString());
        for (String t : List.of("duplicate-code", "unit-outside-community", "crosses-community"))
            assertTrue(problem(ub, t).get("location").has("coordinates"), t);
        // the clean file still has the fifth unit's spike: repaired, a warning, not an error
        String clean =
                collection(
                        units,
                        x -> x.id() == 5 ? spiked(x.geom()) : x.geom(),
                        OnboardingTest::unitProps);
        JsonNode u = report("?kind=units", Files.readAllBytes(ogr(clean, "GPKG", "u.gpkg", 4326)));
        assertTrue(u.get("valid").asBoolean(), u.get("problems").toString());
        assertEquals(Set.of("repaired-geometry"), types(u, "warning"), u.toString());
        assertEquals(units.size(), u.at("/changes/unitsAdded").asInt());
        dryRunThenCommit(u);
        assertEquals(units.size(), server.queryLong("SELECT count(*) FROM base_unit"));
        assertEquals(
                area.totalHouseholds(), server.queryLong("SELECT sum(households) FROM base_unit"));
        assertEquals(0, server.queryLong("SELECT count(*) FROM base_unit WHERE address IS NULL"));
        assertEquals(
                1,
                server.queryLong(
                        "SELECT count(*) FROM base_unit WHERE code = '%s' AND ST_IsValid(geom)"
                                .formatted(units.get(4).code())),
                "the repaired shape is stored");

        // 4. roads (GeoJSON, EPSG:4326)
        JsonNode r =
                report(
                        "?kind=roads",
                        Files.readAllBytes(ogr(roadsJson(), "GeoJSON", "r.geojson", 4326)));
        assertTrue(r.get("valid").asBoolean(), r.get("problems").toString());
        assertEquals(area.roadEdges().size(), r.at("/changes/edges").asInt());
        JsonNode rc = dryRunThenCommit(r);
        assertEquals(area.roadEdges().size(), rc.get("edges").asInt());
        Set<Long> ends = new HashSet<>(); // the demo also keeps vertices no edge uses
        for (DemoData.RoadEdge e : area.roadEdges()) {
            ends.add(e.source());
            ends.add(e.target());
        }
        assertEquals(ends.size(), server.queryLong("SELECT count(*) FROM road_vertex"));

        // 5. the first plan, grown by the rebalancer from an empty draft, ~400 households a grid
        Answer empty = server.post("/api/v1/plans", admin, "{\"from\": \"empty\"}");
        assertEquals(201, empty.status(), empty.body());
        long emptyId = empty.json().get("id").asLong();
        Answer job =
                server.post(
                        "/api/v1/plans/" + emptyId + "/rebalance",
                        admin,
                        "{\"mode\": \"households\", \"householdsPerGrid\": 400, \"name\": \"东湖街道网格\"}");
        assertEquals(202, job.status(), job.body());
        JsonNode done = server.awaitJob(job.json().get("jobId").asText(), admin);
        assertEquals("DONE", done.get("status").asText(), done.toString());
        long plan = done.at("/result/planId").asLong();
        long grids = server.queryLong("SELECT count(*) FROM grid WHERE plan_id = " + plan);
        assertEquals(Math.round(area.totalHouseholds() / 400.0), grids, 6.0, "about one per 400");
        assertEquals(
                units.size(),
                server.queryLong("SELECT count(*) FROM grid_unit WHERE plan_id = " + plan));

        // 6. staff through the API: a grid worker for every grid (adoption refuses a grid
        // without one); the probe point's grid's worker is the one the report must reach
        long grid =
                server.queryLong(
                        "SELECT id FROM grid WHERE plan_id = %d AND ST_Intersects(geom, ST_SetSRID(ST_Point(%s, %s), 4326))"
                                .formatted(plan, probe[0], probe[1]));
        long workerId = -1;
        try (var db = server.ownerDb().connection();
                var st = db.createStatement();
                var rs = st.executeQuery("SELECT id FROM grid WHERE plan_id = " + plan)) {
            int n = 0;
            while (rs.next()) {
                long g = rs.getLong(1);
                n++;
                Answer worker =
                        server.post(
                                "/api/v1/staff",
                                admin,
                                """
                                {"username": "dh.worker%d", "name": "网格员%d", "phone": "139000000%02d",
                                 "roles": ["GRID_WORKER"], "scope": {"type": "GRID", "gridId": %d}}"""
                                        .formatted(n, n, n, g));
                assertEquals(201, worker.status(), worker.body());
                long id = worker.json().get("id").asLong();
                if (g == grid) workerId = id;
                long version =
                        server.get("/api/v1/plans/" + plan, admin).json().get("version").asLong();
                Answer set =
                        server.post(
                                "/api/v1/plans/" + plan + "/edits",
                                admin,
                                "{\"expectedVersion\": %d, \"op\": \"set-worker\", \"gridId\": %d, \"workerId\": %d}"
                                        .formatted(version, g, id));
                assertEquals(200, set.status(), set.body());
            }
            assertEquals(grids, n);
        }

        // 7. adopt, effective now (no incident history yet: the workload is households and
        // roads, so the band is the planners' call)
        long version = server.get("/api/v1/plans/" + plan, admin).json().get("version").asLong();
        Answer adopt =
                server.post(
                        "/api/v1/plans/" + plan + "/adopt",
                        admin,
                        "{\"effectiveFrom\": \"%s\", \"expectedVersion\": %d, \"band\": 1.0}"
                                .formatted(
                                        java.time.OffsetDateTime.now().minusSeconds(5), version));
        assertEquals(200, adopt.status(), adopt.body());

        // 8. a public report at the probe point reaches the new grid worker
        Answer routed = report(probe);
        assertEquals(201, routed.status(), routed.body());
        assertEquals(grid, routed.json().at("/routing/gridId").asLong(), routed.body());
        assertEquals(workerId, routed.json().at("/routing/assigneeId").asLong(), routed.body());
        assertEquals("SUBDISTRICT", routed.json().at("/routing/jurisdiction").asText());

        // the other way to a plan: one imported from a file (here the adopted plan, exported as a
        // GeoPackage in EPSG:4490) reads back clean and would make a draft
        byte[] gpkg =
                server.download("/api/v1/plans/" + plan + "/export?format=gpkg&crs=4490", admin);
        JsonNode p = report("?kind=plan", gpkg);
        assertTrue(p.get("valid").asBoolean(), p.toString());
        assertEquals(grids, p.get("features").asLong());
        assertTrue(types(p, "warning").isEmpty(), p.get("problems").toString());
        Answer dry =
                server.post(
                        "/api/v1/imports/" + p.get("importId").asText() + "/commit",
                        admin,
                        "{\"dryRun\": true}");
        assertEquals(200, dry.status(), dry.body());
    }

    /** A point inside the second area's unit in the middle of the list, in EPSG:4326. */
    static double[] insidePoint() throws Exception {
        DemoData.Unit unit = area.units().get(area.units().size() / 2);
        Geometry p = moved(unit.geom().getInteriorPoint());
        try (var c = server.ownerDb().connection();
                var st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_Point(%s, %s), 4549), 4326) g"
                                        .formatted(p.getCoordinate().x, p.getCoordinate().y))) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    static Answer report(double[] at) throws Exception {
        String category;
        try (var c = server.ownerDb().connection();
                var st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT code FROM category WHERE authority = 'SUBDISTRICT' AND active ORDER BY code LIMIT 1")) {
            rs.next();
            category = rs.getString(1);
        }
        return server.post(
                "/api/v1/incidents",
                null,
                """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "description": "路灯不亮",
                 "location": {"lon": %s, "lat": %s}}"""
                        .formatted(category, at[0], at[1]));
    }

    /** The communities with the first grown by 60 m (an overlap) and the second shrunk (a gap). */
    static String shifted(String communities) throws Exception {
        List<DemoData.Community> cs = area.communities();
        return collection(
                cs,
                c ->
                        c.id() == 1
                                ? c.geom().buffer(60)
                                : c.id() == 2 ? c.geom().buffer(-60) : c.geom(),
                c -> Map.of("code", c.code(), "name", c.name(), "kind", c.kind().name()));
    }

    /**
     * The units with: the second's code on the third, the fourth moved 30 km away (in no
     * community), one border unit grown by 80 m (across the line), and the fifth with a spike drawn
     * twice along one edge (a ring that touches itself, repaired).
     */
    static String badUnits(List<DemoData.Unit> units) {
        DemoData.Unit border = borderUnit(units);
        return collection(
                units,
                x -> {
                    if (x.id() == 4)
                        return AffineTransformation.translationInstance(30_000, 0)
                                .transform(x.geom());
                    if (x.id() == border.id()) return x.geom().buffer(80);
                    if (x.id() == 5) return spiked(x.geom());
                    return x.geom();
                },
                x -> {
                    Map<String, Object> p = new java.util.HashMap<>(unitProps(x));
                    if (x.id() == 3) p.put("code", units.get(1).code());
                    return p;
                });
    }

    /** A unit touching a unit of another community. */
    static DemoData.Unit borderUnit(List<DemoData.Unit> units) {
        for (DemoData.Unit a : units)
            for (DemoData.Unit b : units)
                if (a.communityId() != b.communityId() && a.id() > 10 && a.geom().touches(b.geom()))
                    return a;
        throw new AssertionError("no border unit");
    }

    /** The polygon with its first vertex visited twice (an out-and-back spike): invalid. */
    static Geometry spiked(org.locationtech.jts.geom.Polygon p) {
        var ring = p.getExteriorRing().getCoordinates();
        var c = new java.util.ArrayList<org.locationtech.jts.geom.Coordinate>();
        var a = ring[0];
        var b = ring[1];
        c.add(a);
        // out to a point 10 cm beyond the midpoint of the first edge's normal and back
        double mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
        c.add(new org.locationtech.jts.geom.Coordinate(mx, my));
        c.add(
                new org.locationtech.jts.geom.Coordinate(
                        mx + (b.y - a.y) * 0.001, my - (b.x - a.x) * 0.001));
        c.add(new org.locationtech.jts.geom.Coordinate(mx, my));
        for (int i = 1; i < ring.length; i++) c.add(ring[i]);
        return p.getFactory().createPolygon(c.toArray(new org.locationtech.jts.geom.Coordinate[0]));
    }

    void badFilesAreRefusedAndChangeNothing() throws Exception {
        String before = fingerprint();
        String b = boundaryJson();
        // a CRS gridgov does not take (UTM 51N)
        assertProblem(
                upload("?kind=boundary", Files.readAllBytes(ogr(b, "GPKG", "utm.gpkg", 32651))),
                422,
                "unsupported-crs");
        // srs= naming a geographic CRS for planar coordinates
        byte[] planarNoCrs = zipWithoutPrj(ogr(b, "ESRI Shapefile", "noprj.shp", 4549));
        assertProblem(upload("?kind=boundary&srs=EPSG:4490", planarNoCrs), 422, "wrong-crs");
        assertProblem(
                upload("?kind=boundary&srs=EPSG:2000", planarNoCrs), 400, "invalid-parameter");
        // an empty body
        assertProblem(upload("?kind=boundary", new byte[0]), 400, "empty-file");
        // not what its name says: GeoJSON sent as a GeoPackage, a zip named .gpkg, a text file
        byte[] geojson = b.getBytes();
        assertProblem(
                upload("?kind=boundary", geojson, "Content-Type", "application/geopackage+sqlite3"),
                415,
                "unsupported-media-type");
        assertProblem(
                upload(
                        "?kind=boundary",
                        planarNoCrs,
                        "Content-Disposition",
                        "attachment; filename=\"boundary.gpkg\""),
                415,
                "unsupported-media-type");
        assertProblem(
                upload("?kind=boundary", "code,name\n1,x\n".getBytes()),
                415,
                "unsupported-media-type");
        assertEquals(before, fingerprint(), "refused uploads change nothing and start no job");
    }

    static byte[] zipWithoutPrj(Path shp) throws Exception {
        Files.deleteIfExists(
                shp.resolveSibling(shp.getFileName().toString().replace(".shp", ".prj")));
        return zip(shp);
    }
}
