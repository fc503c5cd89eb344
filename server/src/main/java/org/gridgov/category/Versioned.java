package org.gridgov.category;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The versions of one kind of reference data as this server holds them in memory: each version's
 * rows and parsed value, in force from its {@code effectiveFrom} until the next one. Replaced whole
 * when {@link ReferenceData} reads a change, so readers never see half a change.
 */
public final class Versioned<T> {

    /** One version; {@code createdBy} is null for the seed read from gis-data. */
    public record Version<T>(
            long id,
            Instant effectiveFrom,
            Instant createdAt,
            Long createdBy,
            String note,
            List<Map<String, String>> rows,
            T value) {}

    private static final Comparator<Version<?>> ORDER =
            Comparator.<Version<?>, Instant>comparing(Version::effectiveFrom)
                    .thenComparingLong(Version::id);

    private final RefKind<T> kind;
    private volatile List<Version<T>> versions;

    Versioned(RefKind<T> kind, List<Version<T>> versions) {
        this.kind = kind;
        set(versions);
    }

    /** One value, always in force (tests, tools that read the files). */
    public static <T> Versioned<T> fixed(RefKind<T> kind, T value) {
        return new Versioned<>(
                kind,
                List.of(
                        new Version<>(
                                0, Instant.EPOCH, Instant.EPOCH, null, "", List.of(), value)));
    }

    void set(List<Version<T>> list) {
        if (list.isEmpty()) throw new IllegalStateException("no version of " + kind.name());
        List<Version<T>> sorted = new ArrayList<>(list);
        sorted.sort(ORDER);
        this.versions = List.copyOf(sorted);
    }

    public RefKind<T> kind() {
        return kind;
    }

    /** The version in force at {@code t}; before the first one, the first. */
    public Version<T> versionAt(Instant t) {
        List<Version<T>> all = versions;
        Version<T> found = all.get(0);
        for (Version<T> v : all) {
            if (v.effectiveFrom().isAfter(t)) break;
            found = v;
        }
        return found;
    }

    public T at(Instant t) {
        return versionAt(t).value();
    }

    public T current() {
        return at(Instant.now());
    }

    /** Every version, oldest first (by effectiveFrom, then id). */
    public List<Version<T>> history() {
        return versions;
    }

    long lastId() {
        return versions.stream().mapToLong(Version::id).max().orElse(0);
    }
}
