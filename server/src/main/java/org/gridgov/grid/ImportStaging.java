package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.Jdbc;
import org.gridgov.geo.Crs;
import org.gridgov.job.Jobs;

/**
 * What every import shares (grid plans, base units, communities): the upload is converted and
 * reprojected to EPSG:4326 by ogr2ogr, its features are staged in import_feature (with all their
 * properties, keys lower-cased), and the checks every kind needs are run — geometry type and
 * validity, missing CRS, features outside the subdistrict (with a hint when coordinates look like
 * metres), duplicate codes, overlaps. Each kind adds its own checks and its own commit; nothing
 * outside import_feature is written before the commit.
 */
final class ImportStaging {

    private ImportStaging() {}

    /** srs=EPSG:n (or n), one of the offered CRSs (geo.Crs); 0 when not given. */
    static int sourceCrs(String text, int planarSrid) {
        if (text == null) return 0;
        try {
            int crs = Integer.parseInt(text.replaceFirst("(?i)^EPSG:", ""));
            if (Crs.offered(planarSrid).contains(crs)) return crs;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new ProblemException(
                Problem.invalidParameter(
                        "srs", "'srs' must be one of " + Crs.offered(planarSrid, ", ")));
    }

    /**
     * Refuses, before a job starts, a file whose CRS gridgov does not take (it names an EPSG code
     * outside {@link Crs#offered}), and an srs= that its coordinates contradict (degrees for a
     * planar CRS, metres for a geographic one). Both are 422 and change nothing. A file that names
     * no CRS, or whose coordinates contradict only the GeoJSON default (EPSG:4326), is left to the
     * report (missing-crs, outside-area with its hint).
     */
    static void checkSource(Ogr.Probe p, int srs, int planarSrid) {
        List<Integer> offered = Crs.offered(planarSrid);
        if (srs == 0 && p.epsg() != null && !offered.contains(p.epsg())) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "unsupported-crs",
                            "The file's coordinate reference system is not taken",
                            "the file is in EPSG:"
                                    + p.epsg()
                                    + "; gridgov takes "
                                    + Crs.offered(planarSrid, ", ")
                                    + ": reproject it (ogr2ogr -t_srs EPSG:4490 …) or, when the"
                                    + " file names its CRS wrongly, give srs=",
                            null));
        }
        double[] e = p.extent();
        if (srs == 0 || e == null) return;
        boolean degrees = e[0] >= -180 && e[2] <= 180 && e[1] >= -90 && e[3] <= 90;
        boolean geographic = srs == 4326 || srs == 4490;
        if (geographic != degrees) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "wrong-crs",
                            "The coordinates do not fit the CRS given",
                            String.format(
                                    java.util.Locale.ROOT,
                                    "srs=EPSG:%d is %s, but the file's coordinates (%.3f, %.3f)"
                                            + " - (%.3f, %.3f) look like %s",
                                    srs,
                                    geographic ? "longitude/latitude in degrees" : "planar metres",
                                    e[0],
                                    e[1],
                                    e[2],
                                    e[3],
                                    degrees ? "degrees" : "metres"),
                            null));
        }
    }

    /**
     * A report being written: its problems, each an error (blocks the commit) or a warning, with
     * areas measured in the planar CRS (planarSrid).
     */
    static final class Report {
        final ObjectNode json = Responses.JSON.createObjectNode();
        final ArrayNode problems = Responses.JSON.createArrayNode();
        final int planarSrid;

        Report(UUID job, String kind, int planarSrid) {
            this.planarSrid = planarSrid;
            json.put("importId", job.toString());
            json.put("kind", kind);
        }

        /** SQL of a geometry expression (EPSG:4326) in the planar CRS, for ST_Area. */
        String planar(String expression) {
            return "ST_Transform(" + expression + ", " + planarSrid + ")";
        }

        ObjectNode error(String type, String message, String geojson) {
            return add(type, "error", message, geojson);
        }

        ObjectNode warning(String type, String message, String geojson) {
            return add(type, "warning", message, geojson);
        }

        private ObjectNode add(String type, String severity, String message, String geojson) {
            ObjectNode p = problems.addObject();
            p.put("type", type);
            p.put("severity", severity);
            p.put("message", message);
            if (geojson == null) p.putNull("location");
            else
                try {
                    p.set("location", Responses.JSON.readTree(geojson));
                } catch (IOException e) {
                    p.putNull("location");
                }
            return p;
        }

        boolean valid() {
            for (JsonNode p : problems)
                if (p.get("severity").asText().equals("error")) return false;
            return true;
        }

        ObjectNode finish(int features) {
            boolean valid = true;
            for (JsonNode p : problems) valid &= !p.get("severity").asText().equals("error");
            json.put("valid", valid);
            json.put("features", features);
            json.set("problems", problems);
            return json;
        }
    }

    /** The checks of one kind of import, run on the staged features in the staging transaction. */
    @FunctionalInterface
    interface Checks {
        void run(Connection c, UUID job, Report r) throws SQLException;
    }

    /**
     * An import job's work: converts the upload with ogr2ogr, then stages its features and checks
     * them in the job's completing transaction ({@link Jobs.Context#complete}), so a cancelled
     * import leaves no staged features and a staged one is DONE. Returns the report.
     */
    static ObjectNode stage(
            Jobs.Context jc, ImportInput input, int srs, Report report, Checks checks)
            throws Exception {
        JsonNode fc;
        try (input) {
            fc = convert(input, srs, report);
        }
        return (ObjectNode)
                jc.complete(
                        c -> {
                            int n = fc == null ? -1 : store(c, jc.id(), fc);
                            if (n == 0)
                                report.error("no-features", "the file holds no features", null);
                            if (n > 0) checks.run(c, jc.id(), report);
                            return report.finish(Math.max(0, n));
                        });
    }

    /**
     * The upload as a GeoJSON feature collection in EPSG:4326, or null when it cannot be read (the
     * report then says why).
     */
    private static JsonNode convert(ImportInput in, int srs, Report report) throws Exception {
        Path out = in.dir.resolve("out.geojson");
        List<String> args = toGeoJson(in, out, srs);
        try {
            Ogr.convertUntrusted(args, in.format.driver);
        } catch (IOException e) {
            String msg = e.getMessage();
            boolean crs = msg.contains("no coordinate system") || msg.contains("-s_srs");
            if (crs) {
                report.error(
                        "missing-crs",
                        "the file names no coordinate reference system: give srs=EPSG:4490, "
                                + report.planarSrid
                                + ", 3857 or 4326",
                        null);
            } else {
                report.error("unreadable-file", msg.replace(in.dir.toString() + "/", ""), null);
            }
            return null;
        }
        try {
            return Responses.JSON.readTree(out.toFile());
        } catch (IOException e) {
            report.error("unreadable-file", e.getMessage(), null);
            return null;
        }
    }

    /** ogr2ogr's arguments converting the upload to GeoJSON in EPSG:4326 (srs 0: the file's). */
    static List<String> toGeoJson(ImportInput in, Path out, int srs) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-f",
                                "GeoJSON",
                                out.toString(),
                                in.source.toString(),
                                "-t_srs",
                                "EPSG:4326",
                                "-lco",
                                "COORDINATE_PRECISION=9"));
        if (srs != 0) args.addAll(List.of("-s_srs", "EPSG:" + srs));
        return args;
    }

    private static int store(Connection c, UUID job, JsonNode fc) throws SQLException {
        int seq = 0;
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO import_feature (job_id, seq, code, name, kind, props, geom)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))""")) {
            for (JsonNode f : fc.path("features")) {
                ObjectNode props = Responses.JSON.createObjectNode();
                Iterator<Map.Entry<String, JsonNode>> it =
                        f.path("properties").properties().iterator();
                while (it.hasNext()) {
                    var e = it.next();
                    if (!e.getValue().isNull()) props.set(e.getKey().toLowerCase(), e.getValue());
                }
                ps.setObject(1, job);
                ps.setInt(2, ++seq);
                ps.setString(3, text(props, "code"));
                ps.setString(4, text(props, "name"));
                String kind = text(props, "kind");
                ps.setString(5, "SPECIAL".equalsIgnoreCase(kind) ? "SPECIAL" : "BASIC");
                ps.setString(6, props.toString());
                ps.setString(
                        7, f.path("geometry").isObject() ? f.get("geometry").toString() : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return seq;
    }

    private static String text(JsonNode props, String name) {
        JsonNode v = props.get(name);
        if (v == null || v.isNull()) return null;
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /**
     * SQL condition: the staged feature aliased a has a usable geometry: valid, polygonal, and in
     * longitude/latitude range (metres read as degrees would make every reprojection fail).
     */
    static String valid(String a) {
        return ("%1$s.geom IS NOT NULL AND GeometryType(%1$s.geom) IN ('POLYGON', 'MULTIPOLYGON') AND ST_IsValid(%1$s.geom)"
                        + " AND ST_XMin(%1$s.geom) >= -180 AND ST_XMax(%1$s.geom) <= 180 AND ST_YMin(%1$s.geom) >= -90 AND ST_YMax(%1$s.geom) <= 90")
                .formatted(a);
    }

    /**
     * The checks every kind shares. overlapSeverity: plans tolerate overlaps (the draft's own
     * validation shows them again); units and communities must tile, so there it is an error.
     */
    static void checkShared(Connection c, UUID job, Report r, boolean overlapIsError)
            throws SQLException {
        checkPolygons(c, job, r);
        checkOutside(c, job, r, "'SUBDISTRICT'");
        checkDuplicates(c, job, r);
        checkOverlaps(c, job, r, overlapIsError);
    }

    /**
     * Invalid polygons are repaired when the repair keeps their shape — ST_MakeValid changes the
     * area by at most 1 m² or 0.1% (a self-touching ring, a spike, a ring drawn twice) — with a
     * repaired-geometry warning at the repaired shape; otherwise (a bow-tie, whose two halves
     * cancel out) they stay invalid-geometry errors. The staged feature holds the repair, so the
     * commit stores what the report showed.
     */
    static void repairPolygons(Connection c, UUID job, Report r) throws SQLException {
        query(
                c,
                ("""
                WITH bad AS (
                    SELECT seq, geom, ST_IsValidReason(geom) AS reason, ST_CollectionExtract(ST_MakeValid(geom), 3) AS fixed
                    FROM import_feature WHERE job_id = ? AND geom IS NOT NULL AND GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')
                      AND NOT ST_IsValid(geom)
                      AND ST_XMin(geom) >= -180 AND ST_XMax(geom) <= 180 AND ST_YMin(geom) >= -90 AND ST_YMax(geom) <= 90),
                judged AS (
                    SELECT seq, reason, fixed, ST_Area(%s) AS before, ST_Area(%s) AS after FROM bad WHERE NOT ST_IsEmpty(fixed))
                UPDATE import_feature f SET geom = j.fixed FROM judged j
                WHERE f.job_id = ? AND f.seq = j.seq AND abs(j.after - j.before) <= greatest(1.0, 0.001 * j.before)
                RETURNING f.seq, j.reason, j.before, j.after, ST_AsGeoJSON(j.fixed, 7)""")
                        .formatted(r.planar("geom"), r.planar("fixed")),
                ps -> {
                    ps.setObject(1, job);
                    ps.setObject(2, job);
                },
                rs ->
                        r.warning(
                                "repaired-geometry",
                                String.format(
                                        java.util.Locale.ROOT,
                                        "feature %d: %s; repaired (area %.0f m² → %.0f m²)",
                                        rs.getInt(1),
                                        rs.getString(2),
                                        rs.getDouble(3),
                                        rs.getDouble(4)),
                                rs.getString(5)));
    }

    /**
     * not-a-polygon and invalid-geometry, after {@link #repairPolygons}: one error per feature, at
     * the feature.
     */
    static void checkPolygons(Connection c, UUID job, Report r) throws SQLException {
        repairPolygons(c, job, r);
        query(
                c,
                """
                SELECT seq, CASE WHEN geom IS NULL THEN 'no geometry' ELSE GeometryType(geom) END,
                       geom IS NOT NULL AND ST_IsValid(geom), CASE WHEN geom IS NOT NULL THEN ST_IsValidReason(geom) END,
                       ST_AsGeoJSON(geom, 7)
                FROM import_feature WHERE job_id = ? ORDER BY seq""",
                job,
                rs -> {
                    String type = rs.getString(2);
                    if (!type.equals("POLYGON") && !type.equals("MULTIPOLYGON")) {
                        r.error(
                                "not-a-polygon",
                                "feature "
                                        + rs.getInt(1)
                                        + " is a "
                                        + type.toLowerCase()
                                        + ", not a polygon",
                                rs.getString(5));
                    } else if (!rs.getBoolean(3)) {
                        r.error(
                                "invalid-geometry",
                                "feature " + rs.getInt(1) + ": " + rs.getString(4),
                                rs.getString(5));
                    }
                });
    }

    /**
     * outside-area: features outside the jurisdictions of the given kinds (SQL list), or — when
     * there is none yet (a new deployment, or a boundary import) — with coordinates beyond the
     * longitude/latitude range, which is what metres read as degrees give.
     */
    static void checkOutside(Connection c, UUID job, Report r, String kinds) throws SQLException {
        query(
                c,
                """
                SELECT f.seq, ST_XMin(f.geom), ST_YMin(f.geom)
                FROM import_feature f
                WHERE f.job_id = ? AND f.geom IS NOT NULL
                  AND CASE WHEN EXISTS (SELECT 1 FROM jurisdiction WHERE kind IN (%1$s))
                           THEN NOT EXISTS (SELECT 1 FROM jurisdiction j WHERE j.kind IN (%1$s) AND ST_Intersects(f.geom, j.geom))
                           ELSE NOT (ST_XMin(f.geom) >= -180 AND ST_XMax(f.geom) <= 180 AND ST_YMin(f.geom) >= -90 AND ST_YMax(f.geom) <= 90)
                      END
                ORDER BY f.seq"""
                        .formatted(kinds),
                job,
                rs -> {
                    boolean metres =
                            Math.abs(rs.getDouble(2)) > 180 || Math.abs(rs.getDouble(3)) > 90;
                    r.error(
                            "outside-area",
                            "feature "
                                    + rs.getInt(1)
                                    + " lies outside the subdistrict"
                                    + (metres
                                            ? "; its coordinates look like metres: the file's CRS is probably planar (give srs=EPSG:"
                                                    + r.planarSrid
                                                    + " or 3857)"
                                            : ""),
                            null);
                });
    }

    /** duplicate-code: one error per code used by several features, at those features. */
    static void checkDuplicates(Connection c, UUID job, Report r) throws SQLException {
        query(
                c,
                """
                SELECT code, count(*), string_agg(seq::text, ', ' ORDER BY seq),
                       ST_AsGeoJSON(ST_Collect(ST_Centroid(ST_Envelope(geom))), 7) FROM import_feature
                WHERE job_id = ? AND code IS NOT NULL GROUP BY code HAVING count(*) > 1""",
                job,
                rs ->
                        r.error(
                                "duplicate-code",
                                "code "
                                        + rs.getString(1)
                                        + " is used by "
                                        + rs.getInt(2)
                                        + " features ("
                                        + rs.getString(3)
                                        + ")",
                                rs.getString(4)));
    }

    /** overlap: features sharing more than 1 m², with the outline of what they share. */
    static void checkOverlaps(Connection c, UUID job, Report r, boolean overlapIsError)
            throws SQLException {
        query(
                c,
                ("""
                SELECT a.seq, b.seq, ST_Area(%s), ST_AsGeoJSON(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3), 7)
                FROM import_feature a JOIN import_feature b ON b.job_id = a.job_id AND a.seq < b.seq AND a.geom && b.geom
                WHERE a.job_id = ? AND %s AND %s AND ST_Relate(a.geom, b.geom, '2********')""")
                        .formatted(
                                r.planar("ST_Intersection(a.geom, b.geom)"),
                                valid("a"),
                                valid("b")),
                job,
                rs -> {
                    if (rs.getDouble(3) > 1.0) {
                        String m =
                                String.format(
                                        "features %d and %d overlap by %.0f m²",
                                        rs.getInt(1), rs.getInt(2), rs.getDouble(3));
                        if (overlapIsError) r.error("overlap", m, rs.getString(4));
                        else r.warning("overlap", m, rs.getString(4));
                    }
                });
    }

    /**
     * Gaps: the parts of an area (SQL giving one geometry g, no parameters) that no valid feature
     * covers, each over 1 m², as one warning with their outline.
     */
    static void checkGaps(Connection c, UUID job, Report r, String areaSql, String what)
            throws SQLException {
        query(
                c,
                ("""
                WITH area AS (%s),
                     cover AS (SELECT ST_Union(f.geom) AS g FROM import_feature f WHERE f.job_id = ? AND %s),
                     holes AS (SELECT (ST_Dump(ST_CollectionExtract(ST_Difference(area.g, coalesce(cover.g, 'SRID=4326;POLYGON EMPTY')), 3))).geom AS h
                               FROM area, cover)
                SELECT count(*), coalesce(sum(ST_Area(%s)), 0), ST_AsGeoJSON(ST_Collect(h), 7) FROM holes
                WHERE ST_Area(%s) > 1.0 HAVING count(*) > 0""")
                        .formatted(areaSql, valid("f"), r.planar("h"), r.planar("h")),
                ps -> ps.setObject(1, job),
                rs ->
                        r.warning(
                                "gap",
                                String.format(
                                        "%d gap(s) of %.0f m² in all: %s that no feature covers",
                                        rs.getInt(1), rs.getDouble(2), what),
                                rs.getString(3)));
    }

    @FunctionalInterface
    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    static void query(Connection c, String sql, UUID job, Row row) throws SQLException {
        query(c, sql, ps -> ps.setObject(1, job), row);
    }

    static void query(Connection c, String sql, Binder binder, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) row.accept(rs);
            }
        }
    }

    static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /**
     * A commit: one transaction, rolled back instead of committed when dryRun. It first locks the
     * import's job row, so two commits of one import run one after the other and the second finds
     * nothing staged (409) instead of reading the staged features the first is dropping.
     */
    static <T> T commit(DataSource ds, UUID job, boolean dryRun, Jdbc.Work<T> work)
            throws SQLException {
        Jdbc.Work<T> locked =
                c -> {
                    Jobs.lock(c, job);
                    return work.run(c);
                };
        if (!dryRun) return Jdbc.inTransaction(ds, locked);
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                return locked.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * SQL: two shapes are the same unit shape — equal, or no point of one farther than about 1 cm
     * (1e-7°) from the other, which is what a round trip through a planar CRS or a Shapefile
     * leaves.
     */
    static String sameShape(String a, String b) {
        return "(ST_Equals(%1$s, %2$s) OR ST_HausdorffDistance(%1$s, %2$s) < 1e-7)".formatted(a, b);
    }

    /** Drops the staged features of an import once committed. */
    static void drop(Connection c, UUID job) throws SQLException {
        update(c, "DELETE FROM import_feature WHERE job_id = ?", ps -> ps.setObject(1, job));
    }
}
