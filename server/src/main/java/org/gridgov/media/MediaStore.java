package org.gridgov.media;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Where photo files live, by content: a file's name is its SHA-256, so storing the same bytes twice
 * changes nothing and a retried upload cannot leave two copies. The rows that cite files are in
 * PostgreSQL ({@link MediaQueries}); a file is written before the transaction that cites it, so at
 * worst a crash leaves a file no row cites, which {@link MediaSweep} removes — never a row without
 * its file. {@link FileMediaStore} keeps them in a folder, {@link S3MediaStore} in an S3-compatible
 * bucket (docs/media.md).
 */
public interface MediaStore {

    /** Stores the bytes under their SHA-256 (hex), durably before returning; returns the hash. */
    String put(byte[] bytes) throws IOException;

    /** The file with this hash, or empty. */
    Optional<byte[]> get(String sha256) throws IOException;

    /** Every file held, with when it was written (the sweep spares recent ones). */
    void forEach(BiConsumer<String, Instant> file) throws IOException;

    /**
     * When the file was last written or stored again (put of bytes already held renews it), or
     * empty if there is none: the sweep asks again just before it deletes.
     */
    Optional<Instant> writtenAt(String sha256) throws IOException;

    /** Removes the file; no error if it is gone. */
    void delete(String sha256) throws IOException;

    /**
     * Removes writes that never finished, begun before {@code before} (a temporary file of a
     * crashed upload; in S3, an incomplete multipart upload); returns how many.
     */
    int removeUnfinished(Instant before) throws IOException;
}
