package org.gridgov.grid;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * GET /api/v1/plans/{id}/export?format=geojson|gpkg|shp&crs=<an offered EPSG code, geo.Crs>: a
 * plan's grids with their attributes. PostGIS writes GeoJSON; ogr2ogr turns it into GeoPackage or a
 * zipped Shapefile (UTF-8 .cpg) and reprojects.
 */
final class PlanExport {

    record Format(String ogrDriver, String extension, String contentType) {}

    static final Map<String, Format> FORMATS =
            Map.of(
                    "geojson", new Format("GeoJSON", "geojson", "application/geo+json"),
                    "gpkg", new Format("GPKG", "gpkg", "application/geopackage+sqlite3"),
                    "shp", new Format("ESRI Shapefile", "zip", "application/zip"));

    private static final String FEATURES =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'geometry', ST_AsGeoJSON(g.geom, 8)::json,
                'properties', json_build_object('grid_id', g.id, 'code', g.code, 'name', g.name, 'kind', g.kind,
                    'community', g.community_id, 'worker_id', g.worker_id, 'units', u.units, 'households', u.households))
                ORDER BY g.id), '[]'))::text
            FROM grid g
            LEFT JOIN LATERAL (SELECT count(*) AS units, coalesce(sum(b.households), 0) AS households
                               FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id WHERE gu.grid_id = g.id) u ON true
            WHERE g.plan_id = ? AND NOT ST_IsEmpty(g.geom)""";

    private PlanExport() {}

    /** crs: the offered CRSs (Planning.offeredCrs). */
    static void handle(RoutingContext ctx, DataSource ds, List<Integer> offered) {
        long id = Handlers.pathId(ctx, "id");
        String formatText = Handlers.param(ctx, "format");
        Format format = FORMATS.get(formatText == null ? "geojson" : formatText);
        if (format == null)
            throw new ProblemException(
                    Problem.invalidParameter(
                            "format", "'format' must be one of geojson, gpkg, shp"));
        String crsText = Handlers.param(ctx, "crs");
        int crs;
        try {
            crs = crsText == null ? 4326 : Integer.parseInt(crsText.replaceFirst("(?i)^EPSG:", ""));
        } catch (NumberFormatException e) {
            crs = -1;
        }
        if (!offered.contains(crs))
            throw new ProblemException(
                    Problem.invalidParameter("crs", "'crs' must be one of " + offered));
        int target = crs;
        Handlers.blocking(
                ctx,
                () -> export(ds, id, format, target),
                (c, bytes) -> {
                    String file = "plan-" + id + "." + format.extension();
                    c.response()
                            .putHeader("Content-Type", format.contentType())
                            .putHeader(
                                    "Content-Disposition", "attachment; filename=\"" + file + "\"")
                            .end(Buffer.buffer(bytes));
                });
    }

    static byte[] export(DataSource ds, long planId, Format format, int crs)
            throws SQLException, IOException {
        String geojson;
        try (Connection c = ds.getConnection()) {
            PlanStore.require(c, planId);
            try (PreparedStatement ps = c.prepareStatement(FEATURES)) {
                ps.setLong(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    geojson = rs.getString(1);
                }
            }
        }
        if (format.ogrDriver().equals("GeoJSON") && crs == 4326)
            return geojson.getBytes(StandardCharsets.UTF_8);
        Path dir = Files.createTempDirectory("gridgov-export");
        try {
            Path in = dir.resolve("in.geojson");
            Files.writeString(in, geojson);
            Path outDir = Files.createDirectory(dir.resolve("out"));
            Path out =
                    outDir.resolve(
                            "grids."
                                    + (format.extension().equals("zip")
                                            ? "shp"
                                            : format.extension()));
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "-f",
                                    format.ogrDriver(),
                                    out.toString(),
                                    in.toString(),
                                    "-s_srs",
                                    "EPSG:4326",
                                    "-t_srs",
                                    "EPSG:" + crs,
                                    "-nln",
                                    "grids"));
            if (format.ogrDriver().equals("ESRI Shapefile"))
                args.addAll(List.of("-lco", "ENCODING=UTF-8"));
            if (format.ogrDriver().equals("GeoJSON")) args.addAll(List.of("-lco", "RFC7946=NO"));
            Ogr.run(args);
            if (!format.extension().equals("zip")) return Files.readAllBytes(out);
            var buffer = new java.io.ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(buffer);
                    var files = Files.list(outDir)) {
                for (Path f : files.sorted().toList()) {
                    zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
                    zip.write(Files.readAllBytes(f));
                    zip.closeEntry();
                }
            }
            return buffer.toByteArray();
        } finally {
            Ogr.deleteTree(dir);
        }
    }
}
