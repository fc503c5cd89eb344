package org.gridgov.grid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * A plan's grids with their attributes as GeoJSON, GeoPackage or a zipped Shapefile (UTF-8 .cpg) in
 * an offered CRS (GET /api/v1/plans/{id}/export, PlanRoutes). PostGIS writes the GeoJSON
 * (PlanQueries.exportFeatures); ogr2ogr converts and reprojects it.
 */
final class PlanExport {

    record Format(String ogrDriver, String extension, String contentType) {}

    static final Map<String, Format> FORMATS =
            Map.of(
                    "geojson", new Format("GeoJSON", "geojson", "application/geo+json"),
                    "gpkg", new Format("GPKG", "gpkg", "application/geopackage+sqlite3"),
                    "shp", new Format("ESRI Shapefile", "zip", "application/zip"));

    private PlanExport() {}

    /** The format for a format= value (null: GeoJSON); 400 for another. */
    static Format format(String text) {
        Format format = FORMATS.get(text == null ? "geojson" : text);
        if (format == null)
            throw new ProblemException(
                    Problem.invalidParameter(
                            "format", "'format' must be one of geojson, gpkg, shp"));
        return format;
    }

    /** The EPSG code of a crs= value (null: 4326) when it is offered; 400 otherwise. */
    static int crs(String text, List<Integer> offered) {
        int crs;
        try {
            crs = text == null ? 4326 : Integer.parseInt(text.replaceFirst("(?i)^EPSG:", ""));
        } catch (NumberFormatException e) {
            crs = -1;
        }
        if (!offered.contains(crs))
            throw new ProblemException(
                    Problem.invalidParameter("crs", "'crs' must be one of " + offered));
        return crs;
    }

    /** The plan's grids (GeoJSON in EPSG:4326, as PostGIS writes them) in format and crs. */
    static byte[] convert(String geojson, Format format, int crs) throws IOException {
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
