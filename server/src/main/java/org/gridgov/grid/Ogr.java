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
        run(args, env);
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
        List<String> cmd = new ArrayList<>();
        cmd.add("ogr2ogr");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output;
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("ogr2ogr did not finish within " + TIMEOUT_SECONDS + " s");
            }
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) throw new IOException("ogr2ogr failed: " + output);
    }

    static void deleteTree(Path dir) {
        try (var s = java.nio.file.Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
