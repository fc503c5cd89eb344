package org.gridgov.grid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * An upload checked and laid out for ogr2ogr in a private folder of its own. The format comes from
 * the file's first bytes, never from a name: a GeoPackage starts "SQLite format 3\0", a zip
 * "PK\3\4", GeoJSON with '{'. A zip may hold only the parts of one Shapefile (.shp, .shx, .dbf,
 * .prj, .cpg; the index and metadata sidecars .sbn, .sbx, .qix, .qpj, .xml are skipped), each
 * checked by its own magic bytes, with no ".." or absolute names; its entries are counted and its
 * bytes counted as they are inflated (the sizes in a zip's headers are the sender's word). The
 * parts are written under fixed names (in.shp, in.dbf…), so no name from the archive reaches the
 * disk. Together with {@link Ogr}'s one-driver rule this keeps GDAL from reading anything but the
 * upload: a ".shp" that is really OGR VRT XML (which can name any local file or URL) is refused
 * here, and would find no VRT driver there.
 */
final class ImportInput implements AutoCloseable {

    /** What kind of file the upload is, and the one GDAL driver that may read it. */
    enum Format {
        GEOJSON("GeoJSON"),
        GPKG("GPKG"),
        SHAPEFILE_ZIP("ESRI Shapefile");

        final String driver;

        Format(String driver) {
            this.driver = driver;
        }
    }

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] SQLITE =
            "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SHAPE = {
        0, 0, 0x27, 0x0A
    }; // file code 9994, big-endian: .shp and .shx
    private static final Set<Integer> DBF_VERSIONS =
            Set.of(
                    0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xE5,
                    0xF5, 0xFB);
    private static final Set<String> PARTS = Set.of("shp", "shx", "dbf", "prj", "cpg");
    private static final Set<String> SIDECARS = Set.of("sbn", "sbx", "qix", "qpj", "xml");
    private static final long TEXT_PART_MAX = 64 * 1024; // .prj and .cpg are a line or two

    final Path dir;
    final Path source;
    final Format format;

    private ImportInput(Path dir, Path source, Format format) {
        this.dir = dir;
        this.source = source;
        this.format = format;
    }

    /**
     * Checks the upload and moves it (or its unpacked parts) into a new folder under limits.dir();
     * the upload is gone afterwards.
     */
    static ImportInput prepare(Path upload, ImportLimits limits) throws IOException {
        try {
            Format format = sniff(head(upload, 4096));
            Path dir = Files.createTempDirectory(limits.dir(), "import");
            try {
                Path source =
                        switch (format) {
                            case GEOJSON -> Files.move(upload, dir.resolve("in.geojson"));
                            case GPKG -> Files.move(upload, dir.resolve("in.gpkg"));
                            case SHAPEFILE_ZIP -> unzip(upload, dir, limits);
                        };
                return new ImportInput(dir, source, format);
            } catch (IOException | RuntimeException e) {
                Ogr.deleteTree(dir);
                throw e;
            }
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /**
     * What the request says the file is — its Content-Type, or the extension of the file name in
     * Content-Disposition — or null when it says nothing specific (application/octet-stream, no
     * name). A name gridgov does not take (e.g. .kml, a bare .shp) is 415 here.
     */
    static Format claimed(String contentType, String contentDisposition) {
        if (contentDisposition != null) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("(?i)filename\\*?=(?:UTF-8'')?\"?([^\";]+)\"?")
                            .matcher(contentDisposition);
            if (m.find()) {
                String name = m.group(1).strip().toLowerCase(Locale.ROOT);
                String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
                return switch (ext) {
                    case "geojson", "json" -> Format.GEOJSON;
                    case "gpkg" -> Format.GPKG;
                    case "zip" -> Format.SHAPEFILE_ZIP;
                    case "shp" ->
                            throw unsupported(
                                    "'"
                                            + m.group(1)
                                            + "' is one part of a Shapefile; zip its .shp, .shx,"
                                            + " .dbf and .prj together");
                    default ->
                            throw unsupported(
                                    "'" + m.group(1) + "' is none of the accepted formats");
                };
            }
        }
        if (contentType == null) return null;
        String type = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/geo+json", "application/json" -> Format.GEOJSON;
            case "application/geopackage+sqlite3", "application/x-sqlite3" -> Format.GPKG;
            case "application/zip", "application/x-zip-compressed" -> Format.SHAPEFILE_ZIP;
            default -> null;
        };
    }

    /** 415 when the request named one format and the bytes are another. */
    void requireClaim(Format claimed, String claim) {
        if (claimed != null && claimed != format) {
            throw unsupported(
                    "the request says the file is "
                            + label(claimed)
                            + " ("
                            + claim
                            + ") but its first bytes are those of "
                            + label(format));
        }
    }

    private static String label(Format f) {
        return switch (f) {
            case GEOJSON -> "GeoJSON";
            case GPKG -> "a GeoPackage";
            case SHAPEFILE_ZIP -> "a zip (Shapefile)";
        };
    }

    static Format sniff(byte[] head) {
        if (startsWith(head, ZIP)) return Format.SHAPEFILE_ZIP;
        if (startsWith(head, SQLITE)) return Format.GPKG;
        int i =
                startsWith(head, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})
                        ? 3
                        : 0; // a UTF-8 byte order mark
        while (i < head.length
                && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
        if (i < head.length && head[i] == '{') return Format.GEOJSON;
        throw unsupported("the file is none of the accepted formats (judged by its first bytes)");
    }

    private static Path unzip(Path upload, Path dir, ImportLimits limits) throws IOException {
        Set<String> seen = new HashSet<>();
        long total = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(upload))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (++entries > ImportLimits.MAX_ZIP_ENTRIES) {
                    throw invalid(
                            "the zip holds more than "
                                    + ImportLimits.MAX_ZIP_ENTRIES
                                    + " entries; a Shapefile has a handful of parts");
                }
                String name = e.getName().replace('\\', '/');
                if (name.startsWith("/")
                        || name.matches("^[A-Za-z]:.*")
                        || ("/" + name + "/").contains("/../")) {
                    throw invalid("the zip entry '" + name + "' has an absolute or '..' path");
                }
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (e.isDirectory()
                        || file.isEmpty()
                        || name.startsWith("__MACOSX/")
                        || file.startsWith(".")) continue;
                int dot = file.lastIndexOf('.');
                String ext = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (SIDECARS.contains(ext)) continue;
                if (!PARTS.contains(ext)) {
                    throw invalid(
                            "the zip entry '"
                                    + name
                                    + "' is not a Shapefile part (.shp, .shx, .dbf, .prj, .cpg)");
                }
                if (!seen.add(ext))
                    throw invalid(
                            "the zip holds more than one ."
                                    + ext
                                    + "; upload one Shapefile per zip");
                long cap =
                        ext.equals("prj") || ext.equals("cpg")
                                ? Math.min(TEXT_PART_MAX, limits.maxUnzippedBytes() - total)
                                : limits.maxUnzippedBytes() - total;
                Path out = dir.resolve("in." + ext);
                total += copy(zip, out, cap, limits.maxUnzippedBytes());
                check(ext, head(out, 4));
            }
        } catch (ZipException e) {
            throw invalid("the zip cannot be read: " + e.getMessage());
        }
        if (!seen.contains("shp")) throw invalid("the zip holds no .shp");
        if (!seen.contains("dbf") || !seen.contains("shx"))
            throw invalid("the zip lacks the Shapefile's .shx or .dbf");
        return dir.resolve("in.shp");
    }

    /** Copies one entry, counting what is inflated; past cap, stops: 413. */
    private static long copy(InputStream in, Path out, long cap, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        try (OutputStream os = Files.newOutputStream(out)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
                if (n > cap) {
                    throw new ProblemException(
                            Problem.of(
                                    413,
                                    "payload-too-large",
                                    "The upload is too large",
                                    "the zip unpacks to more than its limit ("
                                            + (limit >> 20)
                                            + " MiB in all, 64 KiB for a .prj or .cpg)",
                                    null));
                }
                os.write(buf, 0, r);
            }
        }
        return n;
    }

    /** Each part must be what its name says. */
    private static void check(String ext, byte[] head) {
        boolean ok =
                switch (ext) {
                    case "shp", "shx" -> startsWith(head, SHAPE);
                    case "dbf" -> head.length > 0 && DBF_VERSIONS.contains(head[0] & 0xFF);
                    default ->
                            head.length == 0
                                    || head[0] != '<'; // .prj, .cpg: short text, never markup
                };
        if (!ok)
            throw invalid(
                    "the zip's ."
                            + ext
                            + " is not a Shapefile "
                            + ext
                            + " file (its first bytes say otherwise)");
    }

    private static byte[] head(Path p, int n) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(n);
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }

    static ProblemException unsupported(String detail) {
        return new ProblemException(
                Problem.of(
                        415,
                        "unsupported-media-type",
                        "Unsupported file",
                        detail
                                + "; upload a GeoJSON document, a GeoPackage or a zip holding one Shapefile (.shp, .shx, .dbf, .prj)",
                        null));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(
                Problem.of(422, "invalid-archive", "The zip is not one Shapefile", detail, null));
    }

    @Override
    public void close() {
        Ogr.deleteTree(dir);
    }
}
