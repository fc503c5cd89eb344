package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.gridgov.bench.cluster.Cluster;
import org.gridgov.bench.cluster.Failover;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cluster of scripts/cluster (two PostgreSQL nodes under Patroni with synchronous replication,
 * HAProxy, two gridgov instances) under intake load through HAProxy: kill -9 of the primary's
 * postmaster loses no acknowledged report and every instance takes reports again without a restart;
 * kill -9 of one instance is drained by HAProxy and every client key ends with exactly one incident
 * (docs/cluster.md).
 */
@Tag("db")
class FailoverTest {

    @Test
    void primaryAndInstanceKilledUnderIntakeLoad() throws Exception {
        Path home = TestDatabase.projectRoot();
        Path state = home.resolve("bench/target/failover-state");
        try (Cluster cluster =
                new Cluster(
                        home,
                        state,
                        Map.of(
                                "GRIDGOV_SKIP_BUILD",
                                "1",
                                "GRIDGOV_CLUSTER_DEMO_ARGS",
                                "--incidents 0 --units 400 --communities 3 --households-per-grid 400",
                                "GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE",
                                "1000000",
                                "GRIDGOV_SCHEDULER_SECONDS",
                                "5",
                                "GRIDGOV_CLUSTER_JAVA_OPTS",
                                "-Xmx512m",
                                "GRIDGOV_MAPSERVER_WORKERS",
                                "1"))) {
            cluster.start(2);
            Failover failover = new Failover(cluster, 2);

            Failover.PrimaryKill pg = failover.killPrimary(6, 40);
            pg.print();
            assertEquals(0, pg.acknowledgedLost(), "acknowledged reports lost by the failover");
            assertEquals(0, pg.duplicates(), "reports stored twice");
            assertNotEquals(pg.killed(), pg.promoted(), "the standby took over");
            assertTrue(pg.instancesKeptTheirProcess(), "an instance was restarted");
            assertTrue(pg.retried() > 0, "the clients saw the outage (503 or no answer)");

            Failover.InstanceKill app = failover.killInstance(1, 6, 30, 40);
            app.print();
            assertEquals(0, app.keysWithoutIncident(), "keys whose report was never stored");
            assertEquals(0, app.keysWithSeveral(), "keys stored as several incidents");
        }
    }
}
