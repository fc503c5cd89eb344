package org.gridgov.app;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.util.Map;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server refuses to start against a database it cannot use, and says why. */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class StartupTest {

    @Test
    void anUnreachableDatabaseFailsFastNamingTheUrl() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + freePort + "/gridgov";
        long t0 = System.nanoTime();
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () -> Database.connect(new DbSettings(url, "gridgov", "x", 2)));
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertTrue(e.getMessage().contains("GRIDGOV_DB_URL"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 15, "fails within the connection timeout");
    }

    @Test
    void anUnmigratedDatabaseIsRefused() throws Exception {
        DbSettings s = TestDatabase.settings();
        String url =
                TestDatabase.createEmpty(
                        "gridgov_empty"); // the owner may not create databases: scripts/db
        // provision does
        try (Database db = Database.connect(new DbSettings(url, s.user(), s.password(), 2))) {
            var e =
                    assertThrows(
                            IllegalStateException.class,
                            () -> Gridgov.start(Config.of(Map.of("GRIDGOV_PORT", "0")), db));
            assertTrue(e.getMessage().contains("not migrated"), e.getMessage());
            assertTrue(e.getMessage().contains("migrate"), e.getMessage());
        }
    }

    @Test
    void settingsComeFromTheEnvironmentThenTheFile() {
        var p = new java.util.Properties();
        p.setProperty("gridgov.port", "9191");
        p.setProperty("gridgov.db.url", "jdbc:postgresql://db.example:5432/gg");
        assertEquals(9191, new Config(Map.of(), p).port());
        assertEquals(7070, new Config(Map.of("GRIDGOV_PORT", "7070"), p).port());
        assertEquals("jdbc:postgresql://db.example:5432/gg", new Config(Map.of(), p).db().url());
        assertEquals(8080, new Config(Map.of(), new java.util.Properties()).port());
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () -> new Config(Map.of("GRIDGOV_PORT", "eighty"), p).port());
        assertTrue(e.getMessage().contains("GRIDGOV_PORT"));
    }
}
