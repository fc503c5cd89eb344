package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gridgov.bench.FaultScenarios;
import org.gridgov.bench.ServerProcess;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gridgov killed with SIGKILL in the middle of intake: the client retries every request with its
 * Idempotency-Key against the restarted server; every 201 it got is in the database, and no report
 * is stored twice. The server runs in a JVM of its own, on a database of its own.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class ServerKillTest {

    @Test
    void nothingAcknowledgedIsLostWhenTheServerIsKilled() throws Exception {
        String name = TestDatabase.NAME + "_kill";
        FaultFixture.Fresh fresh = FaultFixture.freshDatabase(name);
        DbSettings s = fresh.server();
        Path log = Files.createTempFile("gridgov-kill", ".log");
        Map<String, String> env =
                Map.of(
                        "GRIDGOV_DB_URL",
                        s.url(),
                        "GRIDGOV_DB_USER",
                        s.user(),
                        "GRIDGOV_DB_PASSWORD",
                        s.password(),
                        "GRIDGOV_JWT_SECRET",
                        FaultFixture.jwtSecret(),
                        "GRIDGOV_SCHEDULER_SECONDS",
                        "0",
                        "GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE",
                        "1000000",
                        // no MapServer: nothing of it to orphan when the JVM is killed
                        "GRIDGOV_MAPSERVER_URL",
                        "http://127.0.0.1:9/unused");
        try (Database db = Database.connect(fresh.owner());
                ServerProcess server =
                        new ServerProcess(
                                System.getProperty("java.class.path"), "512m", env, log)) {
            server.start(Duration.ofMinutes(3));
            FaultScenarios.Outcome o =
                    FaultScenarios.run(
                            "server_kill",
                            FaultFixture.target(db, server::base, null),
                            db.dataSource(),
                            6,
                            40,
                            server::kill,
                            null,
                            () -> server.start(Duration.ofMinutes(3)));
            o.print();
            assertTrue(o.acknowledged() >= 40, "reports acknowledged: " + o.acknowledged());
            assertEquals(0, o.missing(), "acknowledged reports missing after the kill");
            assertEquals(0, o.duplicates(), "reports stored twice");
            assertEquals(
                    0,
                    o.replayMismatches(),
                    "retries of acknowledged reports answered another incident");
            assertEquals(List.of(), o.serverErrors(), "5xx answers (other than 503 problem+json)");
        } finally {
            FaultFixture.drop(fresh);
        }
    }
}
