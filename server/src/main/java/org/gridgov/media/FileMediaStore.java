package org.gridgov.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Photo files in a folder (GRIDGOV_MEDIA_DIR): {@code ab/cd/abcd…} by SHA-256, owner-only. A file
 * is written to a temporary name beside its place, forced to disk, then renamed into place
 * atomically, so a reader never sees half a file and a crash leaves at most a temporary file (which
 * the sweep removes).
 */
public final class FileMediaStore implements MediaStore {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;

    public FileMediaStore(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(
                        this.dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own access control applies
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the media folder " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    Path path(String sha256) {
        if (!HASH.matcher(sha256).matches())
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Override
    public String put(byte[] bytes) throws IOException {
        String sha = PhotoCheck.sha256(bytes);
        Path target = path(sha);
        if (Files.exists(target)) {
            // the same bytes are there already; touched, so the sweep's grace period covers the
            // row about to cite them even if the file was an orphan until now
            Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(Instant.now()));
            return sha;
        }
        Path parent = Files.createDirectories(target.getParent());
        Path temp = parent.resolve(TEMP_PREFIX + UUID.randomUUID());
        try (FileChannel ch =
                FileChannel.open(
                        temp,
                        java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp); // another upload of the same bytes won the race
            if (!Files.exists(target)) throw e;
        }
        // the rename is durable once its folder is
        try (FileChannel d = FileChannel.open(parent, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a folder for sync; the file itself is forced
        }
        return sha;
    }

    @Override
    public Optional<byte[]> get(String sha256) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void forEach(BiConsumer<String, Instant> file) throws IOException {
        try (Stream<Path> all = Files.walk(dir, 3)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isRegularFile(p)) continue;
                String name = p.getFileName().toString();
                if (HASH.matcher(name).matches())
                    file.accept(name, Files.getLastModifiedTime(p).toInstant());
            }
        }
    }

    @Override
    public Optional<Instant> writtenAt(String sha256) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(path(sha256)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    @Override
    public int removeUnfinished(Instant before) throws IOException {
        int n = 0;
        try (Stream<Path> all = Files.walk(dir, 3)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p)
                        && p.getFileName().toString().startsWith(TEMP_PREFIX)
                        && Files.getLastModifiedTime(p).toInstant().isBefore(before)
                        && Files.deleteIfExists(p)) n++;
            }
        }
        return n;
    }
}
