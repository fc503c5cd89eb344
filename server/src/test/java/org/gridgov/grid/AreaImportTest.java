package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Import of base units and communities: every report rule, every format, every source CRS, a bad
 * file changing nothing, and a commit that updates, retires and fits a draft (then undone).
 */
@Tag("db")
class AreaImportTest {

    // the stored current units as a GeoJSON FeatureCollection; extra SQL may replace the feature
    // list
    static final String UNITS_FC =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
                   'properties', json_build_object('code', b.code, 'community', c.code, 'households', b.households,
                                                   'population', b.population, 'land_use', b.land_use),
                   'geometry', ST_AsGeoJSON(b.geom, 9)::json) ORDER BY b.id))::text
            FROM base_unit b JOIN community c ON c.id = b.community_id WHERE b.retired_at IS NULL""";

    static final String COMMUNITIES_FC =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
                   'properties', json_build_object('code', c.code, 'name', c.name, 'kind', c.kind),
                   'geometry', ST_AsGeoJSON(c.geom, 9)::json) ORDER BY c.id))::text FROM community c""";

    static String sql(String q) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery(q)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void exec(String q) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            st.execute(q);
        }
    }

    /** What a bad import must not change: units, communities, plans, grids. */
    static String fingerprint() throws Exception {
        return sql(
                """
                SELECT (SELECT count(*) || '/' || sum(households) || '/' || count(retired_at) || '/' || md5(string_agg(ST_AsEWKB(geom)::text, '' ORDER BY id)) FROM base_unit)
                    || '|' || (SELECT count(*) || '/' || md5(string_agg(name || ST_AsEWKB(geom)::text, '' ORDER BY id)) FROM community)
                    || '|' || (SELECT count(*) FROM grid_plan) || '|' || (SELECT count(*) FROM grid_unit)""");
    }

    /** ogr2ogr from a GeoJSON file to another format and CRS; returns the output path. */
    static Path ogr(String geojson, String driver, String name, int crs) throws Exception {
        return ogr(Files.createTempDirectory("area-import"), geojson, driver, name, crs);
    }

    /** ogr2ogr into dir: the GeoJSON (EPSG:4549) to a file of the driver in the CRS; its path. */
    static Path ogr(Path dir, String geojson, String driver, String name, int crs)
            throws Exception {
        Path in = dir.resolve(name + ".src.geojson");
        Files.writeString(in, geojson);
        Path out = dir.resolve(name);
        Process p =
                new ProcessBuilder(
                                "ogr2ogr",
                                "-f",
                                driver,
                                out.toString(),
                                in.toString(),
                                "-t_srs",
                                "EPSG:" + crs)
                        .redirectErrorStream(true)
                        .start();
        String msg = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), msg);
        return out;
    }

    static byte[] zipShapefile(Path shp, boolean withPrj) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String base = shp.getFileName().toString().replaceFirst("\\.shp$", "");
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String ext : List.of("shp", "shx", "dbf", "prj", "cpg")) {
                Path f = shp.resolveSibling(base + "." + ext);
                if (!Files.exists(f) || (ext.equals("prj") && !withPrj)) continue;
                zip.putNextEntry(new ZipEntry(base + "." + ext));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static Set<String> errors(JsonNode report) {
        Set<String> s = new HashSet<>();
        for (JsonNode p : report.get("problems"))
            if (p.get("severity").asText().equals("error")) s.add(p.get("type").asText());
        return s;
    }

    static Set<String> warnings(JsonNode report) {
        Set<String> s = new HashSet<>();
        for (JsonNode p : report.get("problems"))
            if (p.get("severity").asText().equals("warning")) s.add(p.get("type").asText());
        return s;
    }

    static JsonNode report(String kindAndSrs, byte[] body) throws Exception {
        return PlanImportTest.report(PlanImportTest.upload("?kind=" + kindAndSrs, body));
    }

    static void assertRefused(JsonNode report) {
        var commit =
                TestServer.postAs(
                        "planner",
                        "/api/v1/imports/" + report.get("importId").asText() + "/commit",
                        "{}");
        assertEquals(409, commit.status(), commit.body());
        assertTrue(commit.json().get("type").asText().endsWith("/import-invalid"));
    }

    @Test
    void theStoredUnitsReadBackCleanFromEveryFormatAndCrs() throws Exception {
        String fc = sql(UNITS_FC);
        int units =
                (int)
                        TestDatabase.queryLong(
                                "SELECT count(*) FROM base_unit WHERE retired_at IS NULL");
        List<byte[]> files =
                List.of(
                        fc.getBytes(), // GeoJSON, EPSG:4326
                        Files.readAllBytes(
                                ogr(
                                        fc,
                                        "GeoJSON",
                                        "u.geojson",
                                        4490)), // GeoJSON, CGCS2000 (crs member)
                        Files.readAllBytes(
                                ogr(
                                        fc, "GPKG", "u.gpkg",
                                        4549)), // GeoPackage, CGCS2000 / 3-degree GK CM 120E
                        zipShapefile(
                                ogr(fc, "ESRI Shapefile", "u.shp", 3857),
                                true)); // Shapefile, Web Mercator
        String before = fingerprint();
        for (byte[] f : files) {
            JsonNode r = report("units", f);
            assertTrue(r.get("valid").asBoolean(), r.toString());
            assertEquals(units, r.get("features").asInt());
            assertTrue(
                    warnings(r).isEmpty(), "no gaps, no missing attributes: " + r.get("problems"));
            JsonNode ch = r.get("changes");
            assertEquals(0, ch.get("unitsAdded").asInt(), ch.toString());
            assertEquals(0, ch.get("unitsRetired").asInt(), ch.toString());
            assertEquals(
                    0,
                    ch.get("unitsChanged").asInt(),
                    "reprojection round trips change no unit: " + ch);
            // a dry run of a clean import says what it would do and changes nothing
            var dry =
                    TestServer.postAs(
                            "planner",
                            "/api/v1/imports/" + r.get("importId").asText() + "/commit",
                            "{\"dryRun\": true}");
            assertEquals(200, dry.status(), dry.body());
            assertTrue(dry.json().get("dryRun").asBoolean());
            assertEquals(0, dry.json().get("unitsChanged").asInt());
        }
        assertEquals(before, fingerprint(), "dry runs change nothing");
        // the communities as well
        String cfc = sql(COMMUNITIES_FC);
        for (byte[] f :
                List.of(
                        cfc.getBytes(),
                        zipShapefile(ogr(cfc, "ESRI Shapefile", "c.shp", 4549), true))) {
            JsonNode r = report("communities", f);
            assertTrue(r.get("valid").asBoolean(), r.toString());
            assertEquals(0, r.get("unitsChangingCommunity").asInt(), r.toString());
        }
        // planar coordinates with no CRS at all: the srs parameter names it
        byte[] noPrj = zipShapefile(ogr(fc, "ESRI Shapefile", "n.shp", 4549), false);
        assertTrue(errors(report("units", noPrj)).contains("missing-crs"));
        JsonNode withSrs = report("units&srs=EPSG:4549", noPrj);
        assertTrue(withSrs.get("valid").asBoolean(), withSrs.toString());
    }

    @Test
    void everyUnitRuleIsReportedAndABadFileChangesNothing() throws Exception {
        String before = fingerprint();
        // Starting from the stored units: the first unit a bow-tie, the second without code, the
        // third with households 'many', the fourth naming an unknown community, the fifth naming
        // a community it does not lie in, the sixth a copy of the seventh's code, the eighth
        // a unit on a community line grown by 30 m (overlapping its neighbours, crossing the line),
        // the ninth
        // made two-part; and the last one left out (a gap).
        String bad =
                sql(
                        """
                WITH u AS (SELECT b.*, c.code AS ccode, row_number() OVER (ORDER BY b.id) AS n, count(*) OVER () AS total
                           FROM base_unit b JOIN community c ON c.id = b.community_id WHERE b.retired_at IS NULL),
                     other AS (SELECT u.id, (SELECT c2.code FROM community c2 WHERE c2.id <> u.community_id ORDER BY c2.id LIMIT 1) AS code FROM u),
                     border AS (SELECT b.id FROM base_unit b JOIN base_unit n ON n.community_id <> b.community_id AND ST_Touches(b.geom, n.geom)
                                WHERE b.retired_at IS NULL ORDER BY b.id DESC LIMIT 1 OFFSET 5),
                     f AS (
                       SELECT u.n, json_build_object('type', 'Feature',
                         'properties', json_build_object(
                             'code', CASE WHEN u.n = 2 THEN NULL WHEN u.n = 6 THEN (SELECT code FROM u u7 WHERE u7.n = 7) ELSE u.code END,
                             'community', CASE WHEN u.n = 4 THEN '999999999999' WHEN u.n = 5 THEN o.code ELSE u.ccode END,
                             'households', CASE WHEN u.n = 3 THEN to_json('many'::text) ELSE to_json(u.households) END,
                             'population', u.population, 'land_use', u.land_use),
                         'geometry', ST_AsGeoJSON(CASE
                             WHEN u.n = 1 THEN ST_GeomFromText('POLYGON((' || ST_XMin(u.geom) || ' ' || ST_YMin(u.geom) || ',' || ST_XMax(u.geom) || ' ' || ST_YMax(u.geom)
                                 || ',' || ST_XMax(u.geom) || ' ' || ST_YMin(u.geom) || ',' || ST_XMin(u.geom) || ' ' || ST_YMax(u.geom) || ',' || ST_XMin(u.geom) || ' ' || ST_YMin(u.geom) || '))', 4326)
                             WHEN u.id = (SELECT id FROM border) THEN ST_Transform(ST_Buffer(ST_Transform(u.geom, 4549), 30, 'join=mitre'), 4326)
                             WHEN u.n = 9 THEN ST_Collect(u.geom, ST_Translate(u.geom, 0.05, 0))
                             ELSE u.geom END, 9)::json) AS feature
                       FROM u JOIN other o ON o.id = u.id WHERE u.n < u.total)
                SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(feature ORDER BY n))::text FROM f""");
        JsonNode r = report("units", bad.getBytes());
        assertFalse(r.get("valid").asBoolean());
        Set<String> e = errors(r);
        assertTrue(
                e.containsAll(
                        Set.of(
                                "invalid-geometry",
                                "missing-attribute",
                                "bad-attribute",
                                "unknown-community",
                                "unit-outside-community",
                                "duplicate-code",
                                "overlap",
                                "crosses-community",
                                "not-a-polygon")),
                e.toString());
        assertTrue(warnings(r).contains("gap"), r.get("problems").toString());
        for (JsonNode p : r.get("problems")) {
            if (p.get("type").asText().equals("gap"))
                assertEquals("MultiPolygon", p.get("location").get("type").asText(), p.toString());
        }
        assertRefused(r);

        // a missing households attribute is a warning only (counted as 0)
        String noHouseholds = sql(UNITS_FC).replaceFirst("\"households\" ?: ?[0-9]+ ?,", "");
        JsonNode r2 = report("units", noHouseholds.getBytes());
        assertTrue(r2.get("valid").asBoolean(), r2.toString());
        assertTrue(warnings(r2).contains("missing-attribute"), r2.toString());

        // metres without a CRS member land outside the area, with a hint
        String planar =
                """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"x1","community":"330108001001"},
                 "geometry":{"type":"Polygon","coordinates":[[[527000,3341000],[528000,3341000],[528000,3342000],[527000,3341000]]]}}]}""";
        JsonNode r3 = report("units", planar.getBytes());
        assertTrue(errors(r3).contains("outside-area"), r3.toString());
        assertRefused(r3);
        assertEquals(before, fingerprint(), "bad files change nothing");
    }

    @Test
    void everyCommunityRuleIsReportedAndABadFileChangesNothing() throws Exception {
        String before = fingerprint();
        // the first community without name, the second with kind 'TOWN', the third with a short
        // code (so the stored one goes missing), the fourth shrunk by 40 m (its border units now
        // cross the line; a gap opens), the last one left out
        String bad =
                sql(
                        """
                WITH c AS (SELECT *, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM community)
                SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
                   'properties', json_build_object('code', CASE WHEN n = 3 THEN '3301' ELSE code END,
                                                   'name', CASE WHEN n = 1 THEN NULL ELSE name END,
                                                   'kind', CASE WHEN n = 2 THEN 'TOWN' ELSE kind END),
                   'geometry', ST_AsGeoJSON(CASE WHEN n = 4 THEN ST_Transform(ST_Buffer(ST_Transform(geom, 4549), -40), 4326) ELSE geom END, 9)::json)
                   ORDER BY id))::text FROM c WHERE n < total""");
        JsonNode r = report("communities", Files.readAllBytes(ogr(bad, "GPKG", "c.gpkg", 3857)));
        assertFalse(r.get("valid").asBoolean());
        Set<String> e = errors(r);
        assertTrue(
                e.containsAll(
                        Set.of(
                                "missing-attribute",
                                "bad-attribute",
                                "community-missing",
                                "crosses-community",
                                "unit-outside-community")),
                e.toString());
        assertTrue(warnings(r).contains("gap"), r.get("problems").toString());
        assertRefused(r);

        // two communities on top of each other
        String overlapping =
                sql(
                        """
                SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
                   'properties', json_build_object('code', code, 'name', name, 'kind', kind),
                   'geometry', ST_AsGeoJSON(CASE WHEN id = (SELECT min(id) FROM community)
                                                 THEN ST_Union(geom, (SELECT geom FROM community ORDER BY id OFFSET 1 LIMIT 1)) ELSE geom END, 9)::json)))::text
                FROM community""");
        JsonNode r2 = report("communities", overlapping.getBytes());
        assertTrue(errors(r2).contains("overlap"), r2.toString());
        assertEquals(before, fingerprint(), "bad files change nothing");
    }

    @Test
    void aCommitUpdatesRetiresAddsAndFitsADraftFromThePlanInEffect() throws Exception {
        long active = PlanningApiTest.activePlan();
        long activeUnits =
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE plan_id = " + active);
        String[] ab =
                sql("""
                SELECT min(id) || ',' || max(id) FROM (SELECT id FROM base_unit WHERE retired_at IS NULL ORDER BY id LIMIT 20) x""")
                        .split(",");
        long a = Long.parseLong(ab[0]), b = Long.parseLong(ab[1]);
        String codeB = sql("SELECT code FROM base_unit WHERE id = " + b);
        int householdsA =
                (int) TestDatabase.queryLong("SELECT households FROM base_unit WHERE id = " + a);
        // unit a gets 10 more households; unit b is split in two halves with new codes
        String fc =
                sql(
                        """
                WITH halves AS (SELECT (ST_Dump(ST_Split(b.geom, ST_SetSRID(ST_MakeLine(ST_MakePoint(ST_X(ST_Centroid(b.geom)), ST_YMin(b.geom) - 0.01),
                                                                           ST_MakePoint(ST_X(ST_Centroid(b.geom)), ST_YMax(b.geom) + 0.01)), 4326)))).geom AS g,
                                       b.code, c.code AS ccode
                                FROM base_unit b JOIN community c ON c.id = b.community_id WHERE b.id = %2$d),
                     f AS (SELECT json_build_object('type', 'Feature', 'properties', json_build_object('code', b.code, 'community', c.code,
                               'households', b.households + CASE WHEN b.id = %1$d THEN 10 ELSE 0 END, 'population', b.population, 'land_use', b.land_use),
                               'geometry', ST_AsGeoJSON(b.geom, 9)::json) AS feature
                           FROM base_unit b JOIN community c ON c.id = b.community_id WHERE b.retired_at IS NULL AND b.id <> %2$d
                           UNION ALL
                           SELECT json_build_object('type', 'Feature', 'properties', json_build_object('code', code || '-' || row_number() OVER (),
                               'community', ccode, 'households', 1, 'population', 2), 'geometry', ST_AsGeoJSON(g, 9)::json) FROM halves)
                SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(feature))::text FROM f"""
                                .formatted(a, b));
        JsonNode r = report("units", fc.getBytes());
        assertTrue(r.get("valid").asBoolean(), r.toString());
        assertEquals(2, r.get("changes").get("unitsAdded").asInt(), r.toString());
        assertEquals(1, r.get("changes").get("unitsRetired").asInt(), r.toString());
        assertEquals(1, r.get("changes").get("unitsChanged").asInt(), r.toString());
        String id = r.get("importId").asText();
        String before = fingerprint();
        var dry =
                TestServer.postAs(
                        "planner", "/api/v1/imports/" + id + "/commit", "{\"dryRun\": true}");
        assertEquals(200, dry.status(), dry.body());
        assertEquals(2, dry.json().get("unitsAdded").asInt());
        assertEquals(before, fingerprint(), "a dry run changes nothing");
        long draft = 0;
        try {
            var commit =
                    TestServer.postAs(
                            "planner",
                            "/api/v1/imports/" + id + "/commit",
                            "{\"name\": \"单元更新测试\"}");
            assertEquals(200, commit.status(), commit.body());
            draft = commit.json().get("draftPlanId").asLong();
            assertEquals(0, commit.json().get("draftUnassignedUnits").asInt(), commit.body());
            assertEquals(
                    householdsA + 10,
                    TestDatabase.queryLong("SELECT households FROM base_unit WHERE id = " + a));
            assertEquals(
                    0,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM base_unit a JOIN base_unit n ON n.id <> a.id AND a.geom && n.geom"
                                    + " AND ST_Overlaps(a.geom, n.geom) WHERE a.id = "
                                    + a),
                    "an attribute change keeps the stored shape: no slivers");
            assertEquals(
                    1,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM base_unit WHERE id = "
                                    + b
                                    + " AND retired_at IS NOT NULL"));
            assertEquals(
                    2,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM base_unit WHERE code LIKE '"
                                    + codeB
                                    + "-%' AND retired_at IS NULL"));
            assertEquals(
                    activeUnits,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM grid_unit WHERE plan_id = " + active),
                    "the plan in effect is untouched");
            assertEquals(
                    activeUnits + 1,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM grid_unit WHERE plan_id = " + draft),
                    "the draft holds the current units");
            assertEquals(
                    0,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM grid_unit WHERE unit_id = "
                                    + b
                                    + " AND plan_id IN (SELECT id FROM grid_plan WHERE status = 'DRAFT')"),
                    "a retired unit is in no draft");
            JsonNode v = PlanningApiTest.validate(draft, "{\"band\": 5}");
            assertTrue(v.get("valid").asBoolean(), v.toString());
            assertEquals(
                    409,
                    TestServer.postAs("planner", "/api/v1/imports/" + id + "/commit", "{}")
                            .status(),
                    "committed once");
        } finally {
            // put the test area back as it was for the other tests
            exec(
                    """
                    DELETE FROM grid_unit WHERE unit_id IN (SELECT id FROM base_unit WHERE code LIKE '%1$s-%%');
                    DELETE FROM base_unit WHERE code LIKE '%1$s-%%';
                    UPDATE base_unit SET retired_at = NULL WHERE id = %2$d;
                    UPDATE base_unit SET households = %3$d WHERE id = %4$d;"""
                            .formatted(codeB, b, householdsA, a));
            if (draft > 0)
                exec(
                        "DELETE FROM grid_unit WHERE plan_id = %1$d; DELETE FROM plan_edit WHERE plan_id = %1$d; DELETE FROM grid WHERE plan_id = %1$d; DELETE FROM grid_plan WHERE id = %1$d"
                                .formatted(draft));
        }
    }

    @Test
    void aCommunityCommitMovesABorderUnitAndLeavesItForThePlanners() throws Exception {
        // a unit of community A on its line with community B changes sides: A without it, B with
        // it, A renamed
        String[] pick =
                sql("""
                SELECT u.id || ',' || u.community_id || ',' || n.community_id FROM base_unit u
                JOIN base_unit n ON n.community_id <> u.community_id AND u.geom && n.geom AND ST_Relate(u.geom, n.geom, 'F***1****')
                WHERE u.retired_at IS NULL AND n.retired_at IS NULL
                  AND (SELECT count(*) FROM base_unit o WHERE o.community_id = u.community_id) > 5
                ORDER BY u.id LIMIT 1""")
                        .split(",");
        long unit = Long.parseLong(pick[0]),
                a = Long.parseLong(pick[1]),
                b = Long.parseLong(pick[2]);
        String nameA = sql("SELECT name FROM community WHERE id = " + a);
        String fc =
                sql(
                        """
                WITH u AS (SELECT geom FROM base_unit WHERE id = %1$d)
                SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
                   'properties', json_build_object('code', c.code, 'name', CASE WHEN c.id = %2$d THEN c.name || '（新）' ELSE c.name END, 'kind', c.kind),
                   'geometry', ST_AsGeoJSON(CASE WHEN c.id = %2$d THEN ST_Difference(c.geom, u.geom)
                                                 WHEN c.id = %3$d THEN ST_Union(c.geom, u.geom) ELSE c.geom END, 9)::json) ORDER BY c.id))::text
                FROM community c, u"""
                                .formatted(unit, a, b));
        JsonNode r = report("communities", fc.getBytes());
        assertTrue(r.get("valid").asBoolean(), r.toString());
        assertTrue(warnings(r).contains("units-change-community"), r.toString());
        assertEquals(1, r.get("unitsChangingCommunity").asInt(), r.toString());
        String id = r.get("importId").asText();
        String before = fingerprint();
        var dry =
                TestServer.postAs(
                        "planner", "/api/v1/imports/" + id + "/commit", "{\"dryRun\": true}");
        assertEquals(200, dry.status(), dry.body());
        assertEquals(2, dry.json().get("communitiesChanged").asInt(), "A and B: " + dry.body());
        assertEquals(before, fingerprint(), "a dry run changes nothing");
        String geomA = sql("SELECT ST_AsEWKT(geom) FROM community WHERE id = " + a),
                geomB = sql("SELECT ST_AsEWKT(geom) FROM community WHERE id = " + b);
        long draft = 0;
        try {
            var commit = TestServer.postAs("planner", "/api/v1/imports/" + id + "/commit", "{}");
            assertEquals(200, commit.status(), commit.body());
            draft = commit.json().get("draftPlanId").asLong();
            assertEquals(1, commit.json().get("unitsChangingCommunity").asInt(), commit.body());
            assertEquals(
                    1,
                    commit.json().get("draftUnassignedUnits").asInt(),
                    "the moved unit waits for the planners: " + commit.body());
            assertEquals(
                    b,
                    TestDatabase.queryLong(
                            "SELECT community_id FROM base_unit WHERE id = " + unit));
            assertEquals(nameA + "（新）", sql("SELECT name FROM community WHERE id = " + a));
            JsonNode v = PlanningApiTest.validate(draft, "{\"band\": 5}");
            assertFalse(v.get("valid").asBoolean());
            assertTrue(PlanningApiTest.types(v).contains("unassigned-unit"), v.toString());
        } finally {
            exec(
                    """
                    UPDATE community SET name = '%1$s', geom = '%2$s'::geometry WHERE id = %3$d;
                    UPDATE community SET geom = '%4$s'::geometry WHERE id = %5$d;
                    UPDATE base_unit SET community_id = %3$d WHERE id = %6$d;"""
                            .formatted(nameA.replace("'", "''"), geomA, a, geomB, b, unit));
            if (draft > 0)
                exec(
                        "DELETE FROM grid_unit WHERE plan_id = %1$d; DELETE FROM plan_edit WHERE plan_id = %1$d; DELETE FROM grid WHERE plan_id = %1$d; DELETE FROM grid_plan WHERE id = %1$d"
                                .formatted(draft));
        }
    }

    @Test
    void emptyAndUnreadableFilesAreReported() throws Exception {
        assertTrue(
                errors(
                                report(
                                        "units",
                                        "{\"type\":\"FeatureCollection\",\"features\":[]}"
                                                .getBytes()))
                        .contains("no-features"));
        assertTrue(
                errors(
                                report(
                                        "communities",
                                        "{\"type\":\"FeatureCollection\",\"features\":["
                                                .getBytes()))
                        .contains("unreadable-file"));
        assertEquals(400, PlanImportTest.upload("?kind=parcels", "{}".getBytes()).status());
        var badDry =
                TestServer.postAs(
                        "planner",
                        "/api/v1/imports/" + java.util.UUID.randomUUID() + "/commit",
                        "{\"dryRun\": \"yes\"}");
        assertEquals(422, badDry.status(), badDry.body());
    }
}
