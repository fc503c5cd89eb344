package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.Jdbc;
import org.gridgov.geo.Crs;
import org.gridgov.rebalance.UnitGraph;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Import of a whole grid plan from GeoJSON, GeoPackage or a zipped Shapefile, in two steps:
 * {@link #stage} converts and reprojects with ogr2ogr, keeps the features in import_feature and
 * reports every problem (bad geometry, missing or wrong CRS, overlaps, gaps, grids across
 * community lines) before anything is committed; {@link #commit} turns a clean import into a
 * draft plan, each base unit going to the polygon that holds its representative point.
 */
public final class PlanImport {

    /** What kind of file the upload is, from its first bytes. */
    public enum Kind { GEOJSON, GPKG, SHAPEFILE_ZIP }

    static final Set<Integer> SOURCE_CRS = Set.of(4326, 4490, 4549, 3857);
    static final Set<String> BLOCKING = Set.of("invalid-geometry", "not-a-polygon", "outside-area", "missing-crs",
            "duplicate-code", "no-features", "unreadable-file");

    private PlanImport() {
    }

    public static Kind sniff(byte[] body) {
        if (body.length >= 4 && body[0] == 'P' && body[1] == 'K' && body[2] == 3 && body[3] == 4) return Kind.SHAPEFILE_ZIP;
        if (body.length >= 16 && new String(body, 0, 15).equals("SQLite format 3")) return Kind.GPKG;
        for (byte b : body) {
            if (Character.isWhitespace(b)) continue;
            if (b == '{') return Kind.GEOJSON;
            break;
        }
        throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported file",
                "upload a GeoJSON document, a GeoPackage or a zip holding one Shapefile (.shp, .shx, .dbf, .prj)", null));
    }

    public static int sourceCrs(String text) {
        if (text == null) return 0;
        try {
            int crs = Integer.parseInt(text.replaceFirst("(?i)^EPSG:", ""));
            if (SOURCE_CRS.contains(crs)) return crs;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new ProblemException(Problem.invalidParameter("srs", "'srs' must be one of EPSG:4326, 4490, 4549, 3857"));
    }

    /** Converts, stages and checks; the report is the job's result. */
    public static ObjectNode stage(DataSource ds, UUID job, byte[] body, Kind kind, int srs) throws Exception {
        ArrayNode problems = Responses.JSON.createArrayNode();
        ObjectNode report = Responses.JSON.createObjectNode();
        report.put("importId", job.toString());
        Path dir = Files.createTempDirectory("gridgov-import");
        try {
            Path in = input(dir, body, kind);
            Path out = dir.resolve("out.geojson");
            List<String> args = new ArrayList<>(List.of("-f", "GeoJSON", out.toString(), in.toString(), "-t_srs", "EPSG:4326",
                    "-lco", "COORDINATE_PRECISION=9"));
            if (srs != 0) args.addAll(List.of("-s_srs", "EPSG:" + srs));
            try {
                Ogr.run(args);
            } catch (IOException e) {
                String msg = e.getMessage();
                boolean crs = msg.contains("no coordinate system") || msg.contains("-s_srs");
                add(problems, crs ? "missing-crs" : "unreadable-file", crs
                        ? "the file names no coordinate reference system: give srs=EPSG:4490, 4549, 3857 or 4326" : msg, null);
                return finish(report, problems, 0);
            }
            JsonNode fc = Responses.JSON.readTree(out.toFile());
            int n = Jdbc.inTransaction(ds, c -> store(c, job, fc));
            if (n == 0) add(problems, "no-features", "the file holds no features", null);
            else try (Connection c = ds.getConnection()) {
                check(c, job, problems);
            }
            return finish(report, problems, n);
        } finally {
            Ogr.deleteTree(dir);
        }
    }

    private static ObjectNode finish(ObjectNode report, ArrayNode problems, int n) {
        boolean valid = true;
        for (JsonNode p : problems) valid &= !p.get("severity").asText().equals("error");
        report.put("valid", valid);
        report.put("features", n);
        report.set("problems", problems);
        return report;
    }

    private static Path input(Path dir, byte[] body, Kind kind) throws IOException {
        switch (kind) {
            case GEOJSON -> {
                Path p = dir.resolve("in.geojson");
                Files.write(p, body);
                return p;
            }
            case GPKG -> {
                Path p = dir.resolve("in.gpkg");
                Files.write(p, body);
                return p;
            }
            default -> {
                Path shp = null;
                try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
                    ZipEntry e;
                    while ((e = zip.getNextEntry()) != null) {
                        String name = Path.of(e.getName()).getFileName().toString();   // no paths from the archive
                        if (e.isDirectory() || name.startsWith(".")) continue;
                        Path f = dir.resolve(name);
                        Files.write(f, zip.readAllBytes());
                        if (name.toLowerCase().endsWith(".shp")) {
                            if (shp != null) throw new IOException("the zip holds more than one .shp");
                            shp = f;
                        }
                    }
                }
                if (shp == null) throw new IOException("the zip holds no .shp");
                return shp;
            }
        }
    }

    private static int store(Connection c, UUID job, JsonNode fc) throws SQLException {
        int seq = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO import_feature (job_id, seq, code, name, kind, geom)
                VALUES (?, ?, ?, ?, ?, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))""")) {
            for (JsonNode f : fc.path("features")) {
                JsonNode props = f.path("properties");
                ps.setObject(1, job);
                ps.setInt(2, ++seq);
                ps.setString(3, prop(props, "code"));
                ps.setString(4, prop(props, "name"));
                String kind = prop(props, "kind");
                ps.setString(5, "SPECIAL".equalsIgnoreCase(kind) ? "SPECIAL" : "BASIC");
                ps.setString(6, f.path("geometry").isObject() ? f.get("geometry").toString() : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return seq;
    }

    private static String prop(JsonNode props, String name) {
        var it = props.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isNull()) return e.getValue().asText().strip();
        }
        return null;
    }

    private static final String PLANAR = "ST_Transform(%s, " + Crs.PLANAR_DEFAULT + ")";

    private static void check(Connection c, UUID job, ArrayNode problems) throws SQLException {
        query(c, """
                SELECT seq, CASE WHEN geom IS NULL THEN 'no geometry' ELSE GeometryType(geom) END,
                       geom IS NOT NULL AND ST_IsValid(geom), CASE WHEN geom IS NOT NULL THEN ST_IsValidReason(geom) END,
                       ST_AsGeoJSON(geom, 7)
                FROM import_feature WHERE job_id = ? ORDER BY seq""", job, rs -> {
            String type = rs.getString(2);
            if (!type.equals("POLYGON") && !type.equals("MULTIPOLYGON")) {
                add(problems, "not-a-polygon", "feature " + rs.getInt(1) + " is a " + type.toLowerCase() + ", not a polygon", rs.getString(5));
            } else if (!rs.getBoolean(3)) {
                add(problems, "invalid-geometry", "feature " + rs.getInt(1) + ": " + rs.getString(4), rs.getString(5));
            }
        });
        query(c, """
                SELECT f.seq, ST_XMin(f.geom), ST_YMin(f.geom), ST_AsGeoJSON(ST_Envelope(f.geom), 7)
                FROM import_feature f, jurisdiction j
                WHERE f.job_id = ? AND j.kind = 'SUBDISTRICT' AND f.geom IS NOT NULL AND NOT ST_Intersects(f.geom, j.geom)
                ORDER BY f.seq""", job, rs -> {
            boolean metres = Math.abs(rs.getDouble(2)) > 180 || Math.abs(rs.getDouble(3)) > 90;
            add(problems, "outside-area", "feature " + rs.getInt(1) + " lies outside the subdistrict"
                    + (metres ? "; its coordinates look like metres: the file's CRS is probably planar (give srs=EPSG:4549 or 3857)" : ""), null);
        });
        query(c, """
                SELECT code, count(*) FROM import_feature WHERE job_id = ? AND code IS NOT NULL GROUP BY code HAVING count(*) > 1""", job, rs ->
                add(problems, "duplicate-code", "code " + rs.getString(1) + " is used by " + rs.getInt(2) + " features", null));
        query(c, ("""
                SELECT a.seq, b.seq, ST_Area(%s), ST_AsGeoJSON(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3), 7)
                FROM import_feature a JOIN import_feature b ON b.job_id = a.job_id AND a.seq < b.seq AND a.geom && b.geom
                WHERE a.job_id = ? AND %s AND %s AND ST_Relate(a.geom, b.geom, '2********')""")
                .formatted(PLANAR.formatted("ST_Intersection(a.geom, b.geom)"), valid("a"), valid("b")), job, rs -> {
            if (rs.getDouble(3) > 1.0) {
                add(problems, "overlap", String.format("features %d and %d overlap by %.0f m²", rs.getInt(1), rs.getInt(2), rs.getDouble(3)),
                        rs.getString(4)).put("severity", "warning");
            }
        });
        query(c, ("""
                SELECT count(*), ST_AsGeoJSON(ST_Collect(b.geom), 7) FROM base_unit b
                WHERE NOT EXISTS (SELECT 1 FROM import_feature f WHERE f.job_id = ? AND %s AND f.geom && b.geom
                                  AND ST_Intersects(f.geom, ST_PointOnSurface(b.geom)))
                HAVING count(*) > 0""").formatted(valid("f")), job, rs ->
                add(problems, "gap", rs.getInt(1) + " base unit(s) lie in no feature (a gap); the draft leaves them unassigned",
                        rs.getString(2)).put("severity", "warning"));
        query(c, ("""
                SELECT f.seq, count(DISTINCT b.community_id) FROM import_feature f
                JOIN base_unit b ON f.geom && b.geom AND ST_Intersects(f.geom, ST_PointOnSurface(b.geom))
                WHERE f.job_id = ? AND %s GROUP BY f.seq HAVING count(DISTINCT b.community_id) > 1""").formatted(valid("f")), job, rs ->
                add(problems, "crosses-community", "feature " + rs.getInt(1) + " holds units of " + rs.getInt(2) + " communities", null)
                        .put("severity", "warning"));
    }

    private static String valid(String a) {
        return "%1$s.geom IS NOT NULL AND GeometryType(%1$s.geom) IN ('POLYGON', 'MULTIPOLYGON') AND ST_IsValid(%1$s.geom)".formatted(a);
    }

    /** Turns a clean import into a draft plan; returns its id. The staged features are then dropped. */
    public static long commit(DataSource ds, UUID job, String name, UnitGraph graph, JsonNode report) throws SQLException {
        if (report == null || !report.path("valid").asBoolean()) {
            throw new ProblemException(Problem.of(409, "import-invalid", "The import has errors",
                    "the import report lists errors; fix the file and upload it again", null));
        }
        return Jdbc.inTransaction(ds, c -> {
            List<GridInfo> grids = new ArrayList<>();
            Map<Integer, Integer> posOfSeq = new HashMap<>();
            int[] gridOf = new int[graph.size()];
            Arrays.fill(gridOf, -1);
            Map<Integer, Map<Long, Integer>> communities = new HashMap<>();
            Map<Integer, String[]> attrs = new HashMap<>();
            query(c, "SELECT seq, code, name, kind FROM import_feature WHERE job_id = ? ORDER BY seq", job, rs ->
                    attrs.put(rs.getInt(1), new String[]{rs.getString(2), rs.getString(3), rs.getString(4)}));
            if (attrs.isEmpty()) throw new ProblemException(Problem.of(409, "nothing-to-commit", "Nothing to commit",
                    "import " + job + " was committed already or holds no features", null));
            List<long[]> pairs = new ArrayList<>();
            query(c, """
                    SELECT DISTINCT ON (b.id) b.id, f.seq, b.community_id FROM base_unit b
                    JOIN import_feature f ON f.job_id = ? AND f.geom && b.geom AND ST_Intersects(f.geom, ST_PointOnSurface(b.geom))
                    ORDER BY b.id, f.seq""", job, rs -> {
                pairs.add(new long[]{rs.getLong(1), rs.getInt(2), rs.getLong(3)});
                communities.computeIfAbsent(rs.getInt(2), k -> new HashMap<>()).merge(rs.getLong(3), 1, Integer::sum);
            });
            Set<String> codes = new HashSet<>();
            for (var e : attrs.entrySet()) {
                Map<Long, Integer> cs = communities.get(e.getKey());
                if (cs == null) continue;   // a feature with no units makes no grid
                long community = cs.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                String code = e.getValue()[0] != null && e.getValue()[0].matches("[0-9]{15}") && codes.add(e.getValue()[0]) ? e.getValue()[0] : null;
                posOfSeq.put(e.getKey(), grids.size());
                grids.add(new GridInfo(null, code, e.getValue()[1], community, e.getValue()[2], null));
            }
            for (long[] p : pairs) gridOf[graph.indexOf(p[0])] = posOfSeq.get((int) p[1]);
            PlanLayout layout = new PlanLayout(grids, gridOf);
            GridNaming.fillNew(c, layout);
            long plan = PlanStore.insertDraft(c, name, null, layout, graph);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM import_feature WHERE job_id = ?")) {
                ps.setObject(1, job);
                ps.executeUpdate();
            }
            return plan;
        });
    }

    private static ObjectNode add(ArrayNode problems, String type, String message, String geojson) {
        ObjectNode p = problems.addObject();
        p.put("type", type);
        p.put("severity", BLOCKING.contains(type) ? "error" : "warning");
        p.put("message", message);
        if (geojson == null) p.putNull("location");
        else try {
            p.set("location", Responses.JSON.readTree(geojson));
        } catch (IOException e) {
            p.putNull("location");
        }
        return p;
    }

    @FunctionalInterface
    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, UUID job, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) row.accept(rs);
            }
        }
    }
}
