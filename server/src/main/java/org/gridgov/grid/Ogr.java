package org.gridgov.grid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs GDAL's ogr2ogr (Debian gdal-bin) for format conversion and reprojection. */
final class Ogr {

    static final long TIMEOUT_SECONDS = 120;

    private Ogr() {
    }

    /** ogr2ogr with the given arguments; fails with ogr2ogr's own message. */
    static void run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ogr2ogr");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
