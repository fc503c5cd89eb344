package org.gridgov.grid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs GDAL's ogr2ogr (Debian gdal-bin) for format conversion and reprojection. */
final class Ogr {

    static final long TIMEOUT_SECONDS = 120;

    private Ogr() {}

    /** ogr2ogr with the given arguments; fails with ogr2ogr's own message. */
    static void run(List<String> args) throws IOException {
        run(args, Map.of());
    }

    /**
     * ogr2ogr converting an untrusted file to GeoJSON: only inputDriver (and GeoJSON, the output)
     * may open anything — every other vector driver is skipped (OGR_SKIP; GDAL 3.6's ogr2ogr has no
     * -if), so no VRT, CSV or network driver can be talked into reading a file or URL the upload
     * names — and /vsicurl/ is refused whatever the path (see docs/planning.md, imports).
     */
    static void convertUntrusted(List<String> args, String inputDriver) throws IOException {
        run(args, untrusted(inputDriver));
    }

    /**
     * What ogrinfo says of an upload before it is converted: its features (over all layers), the
     * EPSG code of its CRS (null: none named, or a CRS without an EPSG identity), whether it names
     * a CRS at all, and its extent in its own coordinates (null when it has no features).
     */
    record Probe(int features, Integer epsg, boolean hasCrs, double[] extent) {}

    private static final Pattern FEATURES = Pattern.compile("(?m)^Feature Count: (\\d+)$");
    private static final Pattern EXTENT =
            Pattern.compile(
                    "(?m)^Extent: \\((-?[0-9.eE+]+), (-?[0-9.eE+]+)\\) - \\((-?[0-9.eE+]+),"
                            + " (-?[0-9.eE+]+)\\)$");
    // the CRS's own identity is the ID at the WKT's first level of indentation
    private static final Pattern ROOT_ID = Pattern.compile("(?m)^    ID\\[\"EPSG\",(\\d+)\\]\\]$");

    /** ogrinfo -so -al under the same one-driver rule as {@link #convertUntrusted}. */
    static Probe probe(java.nio.file.Path source, String inputDriver) throws IOException {
        String out =
                exec(
                        "ogrinfo",
                        List.of("-ro", "-so", "-al", source.toString()),
                        untrusted(inputDriver));
        int features = 0;
        Matcher f = FEATURES.matcher(out);
        while (f.find()) features += Integer.parseInt(f.group(1));
        double[] extent = null;
        Matcher e = EXTENT.matcher(out);
        while (e.find()) {
            double[] x = {
                Double.parseDouble(e.group(1)), Double.parseDouble(e.group(2)),
                Double.parseDouble(e.group(3)), Double.parseDouble(e.group(4))
            };
            extent =
                    extent == null
                            ? x
                            : new double[] {
                                Math.min(extent[0], x[0]), Math.min(extent[1], x[1]),
                                Math.max(extent[2], x[2]), Math.max(extent[3], x[3])
                            };
        }
        boolean hasCrs =
                out.contains("Layer SRS WKT:\n") && !out.contains("Layer SRS WKT:\n(unknown)");
        Integer epsg = null;
        Matcher id = ROOT_ID.matcher(out);
        if (id.find()) epsg = Integer.valueOf(id.group(1));
        return new Probe(features, epsg, hasCrs, features == 0 ? null : extent);
    }

    private static Map<String, String> untrusted(String inputDriver) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put(
                "OGR_SKIP",
                String.join(
                        ",",
                        vectorDrivers().stream()
                                .filter(d -> !d.equals(inputDriver) && !d.equals("GeoJSON"))
                                .toList()));
        env.put("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".gridgov-no-network");
        env.put("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
        env.put("GDAL_HTTP_TIMEOUT", "1");
        return env;
    }

    private static volatile List<String> drivers;

    /**
     * The vector drivers of the installed GDAL, from `ogr2ogr --formats` (lines " Name -vector-
     * (rw+v): …").
     */
    static List<String> vectorDrivers() throws IOException {
        if (drivers != null) return drivers;
        Process p = new ProcessBuilder("ogr2ogr", "--formats").redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        Pattern line = Pattern.compile("^ {2}(.+?) -[a-z, ]*vector[a-z, ]*- \\(.*$");
        for (String l :
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            Matcher m = line.matcher(l);
            if (m.matches()) out.add(m.group(1));
        }
        if (out.isEmpty()) throw new IOException("ogr2ogr --formats listed no vector drivers");
        drivers = List.copyOf(out);
        return drivers;
    }

    private static void run(List<String> args, Map<String, String> env) throws IOException {
        exec("ogr2ogr", args, env);
    }

    /** Runs a GDAL tool; its output, or an IOException with it when it fails. */
    private static String exec(String tool, List<String> args, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output;
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(tool + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) throw new IOException(tool + " failed: " + output);
        return output;
    }

    static void deleteTree(Path dir) {
        try (var s = java.nio.file.Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
