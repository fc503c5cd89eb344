package org.gridgov.bench.cluster;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code scripts/bench failover}: the failover test's scenario on a cluster of scripts/cluster,
 * with its figures as key=value lines (docs/cluster.md). Arguments: the project's root, the state
 * folder, the client threads. Exits 1 when an acknowledged report was lost or a key stored twice.
 */
public final class FailoverBench {

    private FailoverBench() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path state = Path.of(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        boolean ok;
        try (Cluster cluster =
                new Cluster(
                        home,
                        state,
                        Map.of(
                                "GRIDGOV_SKIP_BUILD", "1",
                                "GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE", "1000000",
                                "GRIDGOV_CLUSTER_JAVA_OPTS", "-Xmx1g"))) {
            cluster.start(2);
            Failover failover = new Failover(cluster, 2);
            Failover.PrimaryKill pg = failover.killPrimary(threads, 200);
            pg.print();
            Failover.InstanceKill app = failover.killInstance(1, threads, 200, 200);
            app.print();
            ok =
                    pg.acknowledgedLost() == 0
                            && pg.duplicates() == 0
                            && pg.instancesKeptTheirProcess()
                            && app.keysWithoutIncident() == 0
                            && app.keysWithSeveral() == 0;
        }
        if (!ok) System.exit(1);
    }
}
