package org.gridgov.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gridgov.db.DbSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database accounts' settings (docs/deployment.md): no default password, passwords by file,
 * fallbacks.
 */
class DbConfigTest {

    @Test
    void thereIsNoDefaultPassword() {
        DbSettings s = Config.of(Map.of()).db();
        assertEquals("gridgov", s.user());
        assertNull(s.password(), "no published password");
        assertEquals(30_000, s.statementTimeoutMs());
        assertFalse(s.toString().contains("password"), s.toString());
    }

    @Test
    void passwordsComeFromFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app"), "s3cret-app\n");
        Files.writeString(dir.resolve("owner"), "s3cret-owner\n");
        Files.writeString(dir.resolve("map"), "s3cret-map");
        Config c =
                Config.of(
                        Map.of(
                                "GRIDGOV_DB_USER",
                                "app",
                                "GRIDGOV_DB_PASSWORD_FILE",
                                dir.resolve("app").toString(),
                                "GRIDGOV_DB_OWNER_USER",
                                "owner",
                                "GRIDGOV_DB_OWNER_PASSWORD_FILE",
                                dir.resolve("owner").toString(),
                                "GRIDGOV_DB_MAP_USER",
                                "map",
                                "GRIDGOV_DB_MAP_PASSWORD_FILE",
                                dir.resolve("map").toString(),
                                "GRIDGOV_DB_STATEMENT_TIMEOUT_MS",
                                "5000"));
        assertEquals("s3cret-app", c.db().password());
        assertEquals(5000, c.db().statementTimeoutMs());
        assertEquals("owner", c.ownerDb().user());
        assertEquals("s3cret-owner", c.ownerDb().password());
        assertEquals(0, c.ownerDb().statementTimeoutMs(), "migrations are not cut short");
        assertEquals("map", c.mapDb().user());
        assertEquals("s3cret-map", c.mapDb().password());
        assertEquals("app", c.grants(Map.of()).app());
        assertEquals("map", c.grants(Map.of()).map());
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Config.of(
                                                Map.of(
                                                        "GRIDGOV_DB_PASSWORD_FILE",
                                                        dir.resolve("missing").toString()))
                                        .db());
        assertTrue(e.getMessage().contains("GRIDGOV_DB_PASSWORD_FILE"), e.getMessage());
    }

    @Test
    void oneAccountServesEveryRoleWhenTheOthersAreUnset() {
        Config c =
                Config.of(
                        Map.of(
                                "GRIDGOV_DB_URL",
                                "jdbc:postgresql://db.example/gg",
                                "GRIDGOV_DB_USER",
                                "gg",
                                "GRIDGOV_DB_PASSWORD",
                                "pw"));
        assertEquals("gg", c.ownerDb().user());
        assertEquals("pw", c.ownerDb().password());
        assertEquals(0, c.ownerDb().statementTimeoutMs());
        assertEquals("gg", c.mapDb().user());
        assertNull(c.grants(Map.of()).map(), "no map role: nothing granted to it");
    }
}
