package org.gridgov.faults;

import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.bench.FaultScenarios;
import org.gridgov.db.Database;
import org.gridgov.testing.ScratchCluster;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PostgreSQL restarted under intake load, the orderly way (fast) and as a crash (immediate):
 * meanwhile gridgov answers 503 problem+json with Retry-After (not 500, not a hang), it recovers
 * by itself, and every acknowledged report is there once the client has retried with its keys.
 */
class DatabaseRestartTest {

    @Test
    void intakeAnswers503AndRecoversWhenPostgresRestarts() throws Exception {
        try (ScratchCluster cluster = ScratchCluster.start()) {
            FaultFixture.load(cluster.settings());
            try (Database db = Database.connect(cluster.settings());
                 Gridgov server = Gridgov.start(Config.of(Map.of("GRIDGOV_PORT", "0", "GRIDGOV_HOST", "127.0.0.1",
                         "GRIDGOV_JWT_SECRET", FaultFixture.jwtSecret(), "GRIDGOV_SCHEDULER_SECONDS", "0",
                         "GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE", "1000000", "GRIDGOV_MAPSERVER_URL", "http://127.0.0.1:9/unused")), db)) {
                String base = "http://127.0.0.1:" + server.port();
                var target = FaultFixture.target(db, () -> base, null);
                for (String mode : List.of("fast", "immediate")) {
                    FaultScenarios.Action stop = mode.equals("fast") ? cluster::stop : cluster::crash;
                    FaultScenarios.Outcome o = FaultScenarios.run("pg_restart_" + mode, target, db.dataSource(), 4, 20, stop,
                            load -> load.statuses().getOrDefault(503, 0L) >= 3 || !load.serverErrors().isEmpty(), cluster::restart);
                    o.print();
                    assertTrue(o.statuses().getOrDefault(503, 0L) >= 3, "503 answers during the outage: " + o.statuses());
                    assertEquals(List.of(), o.serverErrors(), "500s, or 503s that are not problem+json");
                    assertEquals(0, o.noAnswer(), "requests left without an answer (hung or cut)");
                    assertEquals(0, o.missing(), "acknowledged reports missing");
                    assertEquals(0, o.duplicates(), "reports stored twice");
                    assertEquals(0, o.replayMismatches(), "retries of acknowledged reports answered another incident");
                }
            }
        }
    }
}
