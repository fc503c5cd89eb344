package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.geo.Crs;

/**
 * A file as the base-unit import takes it — GeoPackage, zipped Shapefile or GeoJSON, in any CRS
 * gridgov offers — converted by ogr2ogr to a GeoJSON feature collection in EPSG:4326, for the
 * imports of other capabilities (places and facilities, docs/places.md). The same checks as the
 * planning imports: the format from the first bytes ({@link ImportInput}), ogr2ogr reading only
 * that format's driver ({@link Ogr}), the CRS one of those offered; synchronously, in the caller's
 * worker thread (these files are small), and bad files are 4xx problems naming why.
 */
public final class UploadConversion {

    private final ImportLimits limits;
    private final int planarSrid;

    public UploadConversion(ImportLimits limits, int planarSrid) {
        this.limits = limits;
        this.planarSrid = planarSrid;
    }

    /** The largest file an import may send (GRIDGOV_IMPORT_LIMIT_MB). */
    public long maxBytes() {
        return limits.maxBytes();
    }

    /** Whether the bytes begin as a file ogr2ogr must read: a GeoPackage or a zip. */
    public static boolean isPackaged(byte[] body) {
        return startsWith(
                        body,
                        "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                || startsWith(body, new byte[] {'P', 'K', 3, 4});
    }

    private static boolean startsWith(byte[] body, byte[] magic) {
        if (body.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if (body[i] != magic[i]) return false;
        return true;
    }

    /**
     * The file as GeoJSON in EPSG:4326.
     *
     * @param srs the srs= parameter (the source CRS when the file names none or names it wrongly),
     *     or null
     */
    public JsonNode toGeoJson(byte[] body, String srs) throws IOException {
        int source = ImportStaging.sourceCrs(srs, planarSrid);
        Path upload = Files.createTempFile(limits.dir(), "upload", ".bin");
        Files.write(upload, body);
        try (ImportInput in = ImportInput.prepare(upload, limits)) {
            Ogr.Probe probe = Ogr.probe(in.source, in.format.driver);
            ImportStaging.checkSource(probe, source, planarSrid);
            Path out = in.dir.resolve("out.geojson");
            try {
                Ogr.convertUntrusted(ImportStaging.toGeoJson(in, out, source), in.format.driver);
            } catch (IOException e) {
                String msg = e.getMessage();
                boolean crs = msg.contains("no coordinate system") || msg.contains("-s_srs");
                throw new ProblemException(
                        crs
                                ? Problem.of(
                                        422,
                                        "missing-crs",
                                        "The file names no coordinate reference system",
                                        "give srs= one of " + Crs.offered(planarSrid, ", "),
                                        "srs")
                                : Problem.of(
                                        422,
                                        "unreadable-file",
                                        "The file cannot be read",
                                        msg.replace(in.dir.toString() + "/", ""),
                                        null));
            }
            return Responses.JSON.readTree(out.toFile());
        } catch (IOException e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "unreadable-file",
                            "The file cannot be read",
                            e.getMessage(),
                            null));
        }
    }
}
