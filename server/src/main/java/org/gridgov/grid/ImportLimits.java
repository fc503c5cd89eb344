package org.gridgov.grid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an import upload may be: its size on the wire (maxBytes), what a zip may unpack to in all
 * and per entry (maxUnzippedBytes; counted while extracting, never read from the zip's headers),
 * and where uploads are written (a private directory, owner-only).
 */
public record ImportLimits(Path dir, long maxBytes, long maxUnzippedBytes) {

    /**
     * At most this many entries in a zipped Shapefile: .shp, .shx, .dbf, .prj, .cpg and their kin.
     */
    static final int MAX_ZIP_ENTRIES = 16;

    /**
     * dir null: a fresh private temporary directory (Files.createTempDirectory makes it rwx------
     * on POSIX).
     */
    public static ImportLimits of(Path dir, int maxMb, int maxUnzippedMb) {
        try {
            Path d =
                    dir != null
                            ? Files.createDirectories(dir)
                            : Files.createTempDirectory("gridgov-uploads");
            return new ImportLimits(d, (long) maxMb << 20, (long) maxUnzippedMb << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the upload directory: " + e.getMessage(), e);
        }
    }
}
