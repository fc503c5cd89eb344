package org.gridgov.category;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gridgov.api.Csv;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * Every kind of versioned reference data this server uses, kept in memory and current: an edit
 * through this instance is read back as soon as it commits ({@link #write}), and {@link
 * #refreshIfChanged} (on a timer) reads what other instances wrote — it compares the newest version
 * id of each kind, one small query — and notices when a version dated in the future comes into
 * force. A new database is seeded from the gis-data files when a kind is first registered.
 */
public final class ReferenceData {

    /**
     * A rule a new version must keep beyond its own rows (a code in use, a year missing); throws a
     * {@link ProblemException}.
     */
    public interface Check<T> {
        void check(T value, List<Map<String, String>> rows, Instant effectiveFrom)
                throws SQLException;
    }

    private static final class Entry<T> {
        final Versioned<T> versioned;
        final List<Check<T>> checks = new CopyOnWriteArrayList<>();
        final List<Runnable> onChange = new CopyOnWriteArrayList<>();
        long lastId;
        long inForce = -1;

        Entry(Versioned<T> versioned) {
            this.versioned = versioned;
            this.lastId = versioned.lastId();
        }
    }

    private final ReferenceStore store;
    private final Map<String, Entry<?>> kinds = new LinkedHashMap<>();

    public ReferenceData(ReferenceStore store) {
        this.store = store;
    }

    public ReferenceStore store() {
        return store;
    }

    /** Seeds the kind if the database has none of it yet, and reads every version of it. */
    public synchronized <T> Versioned<T> register(RefKind<T> kind) throws SQLException {
        store.seedIfMissing(kind.name(), kind.seedRows());
        Versioned<T> v = new Versioned<>(kind, read(kind));
        Entry<T> e = new Entry<>(v);
        e.inForce = v.versionAt(Instant.now()).id();
        kinds.put(kind.name(), e);
        return v;
    }

    /** Adds a rule every new version of the kind must keep. */
    public <T> void check(RefKind<T> kind, Check<T> check) {
        entry(kind).checks.add(check);
    }

    /**
     * Runs {@code r} now and whenever another version of the kind comes into force (or the one in
     * force is replaced).
     */
    public void onChange(RefKind<?> kind, Runnable r) {
        entry(kind).onChange.add(r);
        r.run();
    }

    /** The kinds by name, in the order registered. */
    public synchronized Collection<Versioned<?>> all() {
        List<Versioned<?>> out = new ArrayList<>();
        for (Entry<?> e : kinds.values()) out.add(e.versioned);
        return out;
    }

    public synchronized Optional<Versioned<?>> find(String name) {
        Entry<?> e = kinds.get(name);
        return e == null ? Optional.empty() : Optional.of(e.versioned);
    }

    /** Reads the kinds another instance changed; runs the listeners of those whose value moved. */
    public synchronized boolean refreshIfChanged() throws SQLException {
        Map<String, Long> last = store.lastIds();
        boolean changed = false;
        for (Entry<?> e : kinds.values()) {
            long id = last.getOrDefault(e.versioned.kind().name(), 0L);
            if (id != e.lastId) {
                reload(e);
                e.lastId = id;
                changed = true;
            }
            long inForce = e.versioned.versionAt(Instant.now()).id();
            if (inForce != e.inForce) {
                e.inForce = inForce;
                e.onChange.forEach(Runnable::run);
            }
        }
        return changed;
    }

    /**
     * Validates and stores a new version of the kind, in force from {@code effectiveFrom}, and
     * reads it back. {@code source} names the rows in errors: "/rows" for a JSON body (the
     * problem's pointer then reaches the cell), else a file name (line and column in the detail).
     *
     * @param basedOn the version an edit of one item was made on (null: a whole new set)
     * @return the new version's id
     */
    public <T> long write(
            RefKind<T> kind,
            String source,
            List<Map<String, String>> rows,
            Instant effectiveFrom,
            String note,
            Long by,
            Long basedOn)
            throws SQLException {
        Entry<T> e = entry(kind);
        rows = kind.complete(rows);
        T value;
        try {
            value = kind.read(source, rows);
        } catch (Csv.BadCsv bad) {
            throw new ProblemException(problem(bad));
        } catch (IllegalStateException | IllegalArgumentException whole) {
            // a rule about the whole set (a default row missing)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-reference-data",
                            "The reference data is invalid",
                            whole.getMessage(),
                            null));
        }
        for (Check<T> c : e.checks) c.check(value, rows, effectiveFrom);
        List<Category> added =
                value instanceof CategorySet s ? List.copyOf(s.all()) : List.<Category>of();
        long id = store.insert(kind.name(), effectiveFrom, rows, added, note, by, basedOn, source);
        refreshIfChanged();
        return id;
    }

    /** A bad row as problem+json: 422, with the JSON pointer of the cell when it came as JSON. */
    public static Problem problem(Csv.BadCsv bad) {
        boolean json = bad.source().startsWith("/");
        String field =
                json
                        ? bad.source()
                                + "/"
                                + bad.line()
                                + (bad.column() == null ? "" : "/" + bad.column())
                        : bad.column();
        String detail =
                json
                        ? "row "
                                + bad.line()
                                + (bad.column() == null ? "" : ", " + bad.column())
                                + ": "
                                + bad.getMessage().substring(bad.getMessage().indexOf(": ") + 2)
                        : bad.getMessage();
        return Problem.of(
                422, "invalid-reference-data", "The reference data is invalid", detail, field);
    }

    @SuppressWarnings("unchecked") // kinds holds an Entry<T> under the name of each RefKind<T>
    private synchronized <T> Entry<T> entry(RefKind<T> kind) {
        Entry<?> e = kinds.get(kind.name());
        if (e == null) throw new IllegalStateException(kind.name() + " is not registered");
        return (Entry<T>) e;
    }

    private <T> void reload(Entry<T> e) throws SQLException {
        e.versioned.set(read(e.versioned.kind()));
    }

    private <T> List<Versioned.Version<T>> read(RefKind<T> kind) throws SQLException {
        List<Versioned.Version<T>> out = new ArrayList<>();
        for (ReferenceStore.Stored s : store.versions(kind.name())) {
            out.add(
                    new Versioned.Version<>(
                            s.id(),
                            s.effectiveFrom(),
                            s.createdAt(),
                            s.createdBy(),
                            s.note(),
                            kind.complete(s.rows()),
                            kind.read("reference_version " + s.id(), s.rows())));
        }
        return out;
    }
}
