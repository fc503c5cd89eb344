package org.gridgov.db;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.MapServerConfig;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database of the last release is migrated by this build and keeps every row (docs/upgrading.md).
 * The released schema is built from exactly the migrations db/migration.lock lists (their content
 * is the released one: the lock holds their SHA-256, checked here and by scripts/check); whatever
 * was added since is what this build's migrate then applies. A sanctioned edit (the lock's "edited"
 * line, {@link Database#SANCTIONED_EDITS}) is built from the edited file and given the released
 * checksum in the history, as a database of the release has it.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class UpgradeTest {

    private static final String LOCK = "db/migration.lock";

    @Test
    void aDatabaseOfTheLastReleaseTakesThisBuildKeepingEveryRow(@TempDir Path releasedDir)
            throws Exception {
        Map<String, String> released = releasedMigrations();
        copyReleased(released, releasedDir);
        DbSettings owner = TestDatabase.settings();
        String url = TestDatabase.createEmpty(TestDatabase.NAME + "_upgrade");
        DbSettings s = new DbSettings(url, owner.user(), owner.password(), 4);

        try (Database db = Database.connect(s)) {
            // The release, as a subdistrict running it has it: its migrations only, then data.
            Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations("filesystem:" + releasedDir)
                    .load()
                    .migrate();
            // a database that took a sanctioned edit's released file records its old checksum
            for (Database.SanctionedEdit e : Database.SANCTIONED_EDITS)
                setChecksum(db, e.version(), e.released());
            CategoryCatalog.fromClasspath().sync(db.dataSource());
            DemoLoader.load(db.dataSource(), DemoParams.small(), TestDatabase.DEMO_PASSWORD);

            Flyway current =
                    Flyway.configure()
                            .dataSource(db.dataSource())
                            .locations(Database.LOCATION)
                            .load();
            Set<String> added = versions(current.info().pending());
            Set<String> unreleased = new HashSet<>(versions(current.info().all()));
            unreleased.removeAll(versionsOf(released.keySet()));
            assertEquals(
                    unreleased,
                    added,
                    "this build applies exactly the migrations added since the release; one"
                            + " numbered below a released one is refused (outOfOrder is off)");

            try (Connection c = db.connection();
                    Statement st = c.createStatement()) {
                st.execute(resource("db/upgrade-rows.sql"));
            }
            Map<String, String> releasedKeys = keyColumns(db);
            Map<String, Rows> before = rows(db, releasedKeys);
            List<String> empty =
                    before.entrySet().stream()
                            .filter(e -> e.getValue().count() == 0)
                            .map(Map.Entry::getKey)
                            .toList();
            assertEquals(
                    List.of(),
                    empty,
                    "every released table has rows to keep (db/upgrade-rows.sql fills what the"
                            + " demo leaves empty)");

            // This build, as `java -jar gridgov.jar migrate` runs it (app/Main.migrate).
            var accounts = TestDatabase.accounts();
            db.migrate(
                    new Grants(
                            accounts.server().user(),
                            accounts.map().user(),
                            MapServerConfig.tablesRead(LayerCatalog.load(null))));
            CategoryCatalog.fromClasspath().sync(db.dataSource());

            assertEquals(0, current.info().pending().length, "nothing left pending");
            for (Database.SanctionedEdit e : Database.SANCTIONED_EDITS)
                assertEquals(e.current(), checksum(db, e.version()), "repaired: " + e);
            db.requireMigrated(); // what `serve` checks: nothing pending, checksums valid
            // a row is found again by its released key, also where the key grew (V39: an
            // event's is (incident_id, id) now, as a partitioned table's must hold its partition
            // key)
            Map<String, String> keys = keyColumns(db);
            keys.putAll(releasedKeys);
            Map<String, Rows> after = rows(db, keys);
            List<String> lost = new ArrayList<>();
            for (var e : before.entrySet()) {
                Rows now = after.get(e.getKey());
                if (now == null) {
                    lost.add(e.getKey() + ": table gone with " + e.getValue().count() + " rows");
                    continue;
                }
                if (now.count() < e.getValue().count())
                    lost.add(e.getKey() + ": " + e.getValue().count() + " -> " + now.count());
                Set<String> missing = new HashSet<>(e.getValue().keys());
                missing.removeAll(now.keys());
                if (!missing.isEmpty())
                    lost.add(
                            e.getKey()
                                    + ": "
                                    + missing.size()
                                    + " rows gone, e.g. "
                                    + missing.iterator().next());
            }
            assertEquals(List.of(), lost, "every released row is kept");
        }
    }

    @Test
    void onlyTheSanctionedChecksumIsRepairedAnyOtherMismatchStillFails() throws Exception {
        DbSettings owner = TestDatabase.settings();
        String url = TestDatabase.createEmpty(TestDatabase.NAME + "_checksums");
        try (Database db =
                Database.connect(new DbSettings(url, owner.user(), owner.password(), 2))) {
            db.migrate();
            Database.SanctionedEdit v1 = Database.SANCTIONED_EDITS.get(0);
            assertEquals("1", v1.version());
            assertEquals(v1.current(), checksum(db, "1"), "this build's V1 checksum");

            // V1 with a checksum neither the released file's nor this build's
            int other = v1.released() + 1;
            setChecksum(db, "1", other);
            var wrongV1 = assertThrows(FlywayException.class, db::migrate);
            assertTrue(
                    wrongV1.getMessage().toLowerCase().contains("checksum"), wrongV1.getMessage());
            assertEquals(other, checksum(db, "1"), "left as it was");
            var serve = assertThrows(IllegalStateException.class, db::requireMigrated);
            assertTrue(serve.getMessage().contains("does not match"), serve.getMessage());

            // the released V1 checksum on another migration is no sanctioned edit either
            setChecksum(db, "1", v1.released());
            int v2 = checksum(db, "2");
            setChecksum(db, "2", v1.released());
            var wrongV2 = assertThrows(FlywayException.class, db::migrate);
            assertTrue(
                    wrongV2.getMessage().toLowerCase().contains("checksum"), wrongV2.getMessage());
            assertEquals(v1.released(), checksum(db, "2"), "left as it was");

            // with V2 as it was, the released V1 checksum alone is repaired and validates
            setChecksum(db, "2", v2);
            db.migrate();
            assertEquals(v1.current(), checksum(db, "1"));
            db.requireMigrated();
        }
    }

    /** The lock file: released migration file → its SHA-256, in release order. */
    private static Map<String, String> releasedMigrations() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : resource(LOCK).lines().toList()) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("edited ")) continue;
            String[] f = line.trim().split("\\s+");
            m.put(f[1], f[0]);
        }
        assertFalse(m.isEmpty(), LOCK + " lists no released migration");
        return m;
    }

    /** The lock file's sanctioned edits: released migration file → its edited SHA-256. */
    private static Map<String, String> sanctionedEdits() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : resource(LOCK).lines().toList()) {
            if (!line.startsWith("edited ")) continue;
            String[] f = line.trim().split("\\s+");
            m.put(f[2], f[1]);
        }
        return m;
    }

    /**
     * Copies the released migrations; a sanctioned edit's file is the edited one (it does what the
     * released one did), which the caller then gives the released checksum in the history.
     */
    private static void copyReleased(Map<String, String> released, Path dir) throws Exception {
        Map<String, String> edited = sanctionedEdits();
        for (var e : released.entrySet()) {
            byte[] sql = bytes("db/migration/" + e.getKey());
            String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql));
            if (!sum.equals(edited.get(e.getKey())))
                assertEquals(
                        e.getValue(),
                        sum,
                        e.getKey()
                                + " was released and has been edited since; restore it and put"
                                + " the change in a new migration (docs/upgrading.md)");
            Files.write(dir.resolve(e.getKey()), sql);
        }
    }

    /** Sets one migration's checksum in the history, as a database could have it. */
    private static void setChecksum(Database db, String version, int checksum) throws SQLException {
        try (Connection c = db.connection();
                Statement st = c.createStatement()) {
            assertEquals(
                    1,
                    st.executeUpdate(
                            "UPDATE flyway_schema_history SET checksum = "
                                    + checksum
                                    + " WHERE version = '"
                                    + version
                                    + "'"));
        }
    }

    private static int checksum(Database db, String version) throws SQLException {
        try (Connection c = db.connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT checksum FROM flyway_schema_history WHERE version = '"
                                        + version
                                        + "'")) {
            assertTrue(rs.next(), "migration " + version + " in the history");
            return rs.getInt(1);
        }
    }

    /** A table's row count and, when it has a primary key, each row's key as text. */
    private record Rows(long count, Set<String> keys) {
        @Override
        public String toString() {
            return Long.toString(count);
        }
    }

    /**
     * Every table of the schema (Flyway's history aside) and its primary key's columns (null
     * without one).
     */
    private static Map<String, String> keyColumns(Database db) throws SQLException {
        Map<String, String> keyOf = new TreeMap<>();
        try (Connection c = db.connection();
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery(
                            """
                    SELECT t.tablename,
                           (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
                              FROM pg_constraint p
                              CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(att, n)
                              JOIN pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.att
                             WHERE p.conrelid = format('public.%I', t.tablename)::regclass
                               AND p.contype = 'p')
                      FROM pg_tables t
                     WHERE t.schemaname = 'public' AND t.tablename <> 'flyway_schema_history'
                    """)) {
                while (rs.next()) keyOf.put(rs.getString(1), rs.getString(2));
            }
        }
        return keyOf;
    }

    /** The rows of the tables of {@code keyOf}, each by the key columns given. */
    private static Map<String, Rows> rows(Database db, Map<String, String> keyOf)
            throws SQLException {
        try (Connection c = db.connection();
                Statement st = c.createStatement()) {
            Map<String, Rows> rows = new TreeMap<>();
            for (var e : keyOf.entrySet()) {
                String table = "public.\"" + e.getKey() + "\"";
                Set<String> keys = new HashSet<>();
                long count;
                if (e.getValue() == null) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                        rs.next();
                        count = rs.getLong(1);
                    }
                } else {
                    try (ResultSet rs =
                            st.executeQuery("SELECT (" + e.getValue() + ")::text FROM " + table)) {
                        while (rs.next()) keys.add(rs.getString(1));
                    }
                    count = keys.size();
                }
                rows.put(e.getKey(), new Rows(count, keys));
            }
            return rows;
        }
    }

    private static Set<String> versions(MigrationInfo[] infos) {
        return Stream.of(infos)
                .filter(i -> i.getVersion() != null)
                .map(i -> i.getVersion().getVersion())
                .collect(Collectors.toSet());
    }

    /** V8_1__x.sql → "8.1", as Flyway reads it. */
    private static Set<String> versionsOf(Set<String> files) {
        return files.stream()
                .map(f -> f.substring(1, f.indexOf("__")).replace('_', '.'))
                .collect(Collectors.toSet());
    }

    private static String resource(String name) throws IOException {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = UpgradeTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException(name + " is not on the classpath");
            return in.readAllBytes();
        }
    }
}
