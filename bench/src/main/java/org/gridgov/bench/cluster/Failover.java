package org.gridgov.bench.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.gridgov.bench.FaultScenarios;
import org.gridgov.bench.IntakeLoad;

/**
 * The failover scenario on a running {@link Cluster}, shared by the fault test and the bench:
 * intake load through HAProxy (client threads that retry each report with its Idempotency-Key until
 * a 201), kill -9 of the primary's postmaster, then kill -9 of one gridgov instance. Waits are for
 * conditions, each bounded only to catch a hang.
 */
public final class Failover {

    /** What the primary's kill cost. */
    public record PrimaryKill(
            String killed,
            String promoted,
            long sent,
            long acknowledged,
            long acknowledgedLost,
            long retried,
            long duplicates,
            double secondsWithoutService,
            Map<Integer, Long> statuses,
            boolean instancesKeptTheirProcess) {

        public void print() {
            String p = "failover.primary_kill.";
            System.out.println(p + "killed=" + killed);
            System.out.println(p + "promoted=" + promoted);
            System.out.println(p + "sent=" + sent);
            System.out.println(p + "acknowledged=" + acknowledged);
            System.out.println(p + "acknowledged_lost=" + acknowledgedLost);
            System.out.println(p + "requests_retried=" + retried);
            System.out.println(p + "duplicates=" + duplicates);
            System.out.printf("%sseconds_without_service=%.1f%n", p, secondsWithoutService);
            System.out.println(p + "statuses=" + statuses);
            System.out.println(p + "instances_restarted=" + (instancesKeptTheirProcess ? 0 : 1));
        }
    }

    /** What one instance's kill cost. */
    public record InstanceKill(
            long keys,
            long acknowledged,
            long keysWithoutIncident,
            long keysWithSeveral,
            long retried,
            double secondsWithoutService,
            Map<Integer, Long> statuses) {

        public void print() {
            String p = "failover.instance_kill.";
            System.out.println(p + "keys=" + keys);
            System.out.println(p + "acknowledged=" + acknowledged);
            System.out.println(p + "keys_without_incident=" + keysWithoutIncident);
            System.out.println(p + "keys_with_several_incidents=" + keysWithSeveral);
            System.out.println(p + "requests_retried=" + retried);
            System.out.printf("%sseconds_without_service=%.1f%n", p, secondsWithoutService);
            System.out.println(p + "statuses=" + statuses);
        }
    }

    private static final Duration BOUND = Duration.ofMinutes(2);
    private final Cluster cluster;
    private final int instances;
    private final FaultScenarios.Target target;

    public Failover(Cluster cluster, int instances) throws Exception {
        this.cluster = cluster;
        this.instances = instances;
        try (Connection c = cluster.ownerConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT (SELECT code FROM category WHERE authority = 'SUBDISTRICT' AND active ORDER BY code LIMIT 1),
                       ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))
                FROM jurisdiction WHERE kind = 'SUBDISTRICT' ORDER BY code LIMIT 1""")) {
            rs.next();
            String base = cluster.base();
            target =
                    new FaultScenarios.Target(
                            () -> base, null, rs.getString(1), rs.getDouble(2), rs.getDouble(3));
        }
    }

    /**
     * Intake load through HAProxy; after {@code before} 201s, kill -9 of the primary's postmaster;
     * load until 201s come from the promoted node; every instance takes a report directly; then
     * every request is retried with its key and the acknowledged ids are looked up.
     */
    public PrimaryKill killPrimary(int threads, int before) throws Exception {
        long[] pids = new long[instances + 1];
        for (int k = 1; k <= instances; k++) pids[k] = cluster.instancePid(k);
        String marker = "failover-pg-" + Long.toHexString(System.nanoTime());
        try (IntakeLoad load = load(marker, threads)) {
            awaitAcknowledged(load, before);
            long faultAt = System.nanoTime();
            String killed = cluster.killPrimary();
            // the outage as clients see it, then the standby promoted and 201s again
            FaultScenarios.waitFor(
                    () -> load.statuses().getOrDefault(503, 0L) + load.noAnswer() > 0,
                    BOUND,
                    "clients seeing the primary gone");
            String[] promoted = {""};
            FaultScenarios.waitFor(
                    () -> {
                        promoted[0] = statusOr("primary");
                        return !promoted[0].isEmpty() && !promoted[0].equals(killed);
                    },
                    BOUND,
                    "Patroni promoting the standby");
            long promotedAt = System.nanoTime();
            FaultScenarios.waitFor(
                    () -> load.firstAckAfter(promotedAt) >= 0, BOUND, "a 201 after the promotion");
            // every instance, directly, takes a report: none needs a restart
            for (int k = 1; k <= instances; k++) {
                String base = cluster.instanceBase(k);
                int kk = k;
                FaultScenarios.waitFor(
                        () -> postOnce(base, marker + "-direct-" + kk) == 201,
                        BOUND,
                        "instance " + k + " taking a report after the failover");
            }
            boolean samePids = true;
            for (int k = 1; k <= instances; k++) samePids &= cluster.instancePid(k) == pids[k];
            load.stop();
            Map<String, Long> acked = load.acknowledged();
            load.retryAll(BOUND);
            long[] lost = lostAndDuplicates(marker, acked.values());
            return new PrimaryKill(
                    killed,
                    promoted[0],
                    load.sent().size(),
                    acked.size(),
                    lost[0],
                    retried(load),
                    lost[1],
                    load.longestGapMs(faultAt - 1) / 1000,
                    load.statuses(),
                    samePids);
        }
    }

    /**
     * Intake load through HAProxy; after {@code before} 201s, kill -9 of instance {@code k}; load
     * until {@code after} more 201s (HAProxy has drained it); every request retried with its key;
     * then the incidents counted by key.
     */
    public InstanceKill killInstance(int k, int threads, int before, int after) throws Exception {
        String marker = "failover-app-" + Long.toHexString(System.nanoTime());
        try (IntakeLoad load = load(marker, threads)) {
            awaitAcknowledged(load, before);
            long faultAt = System.nanoTime();
            cluster.killInstance(k);
            FaultScenarios.waitFor(
                    () -> statusOr("lb_gridgov" + k).startsWith("DOWN"),
                    BOUND,
                    "HAProxy marking instance " + k + " down");
            long downAt = System.nanoTime();
            FaultScenarios.waitFor(
                    () -> countAfter(load, downAt) >= after, BOUND, after + " 201s after the kill");
            load.stop();
            load.retryAll(BOUND);
            Collection<String> keys = load.sent().keySet();
            long[] perKey = perKey(marker, keys.size());
            return new InstanceKill(
                    keys.size(),
                    load.acknowledgedCount(),
                    perKey[0],
                    perKey[1],
                    retried(load),
                    load.longestGapMs(faultAt - 1) / 1000,
                    load.statuses());
        }
    }

    /** Waits until the load has had {@code before} 201s: the fault comes under steady intake. */
    private static void awaitAcknowledged(IntakeLoad load, int before) throws InterruptedException {
        FaultScenarios.waitFor(
                () -> load.acknowledgedCount() >= before, BOUND, before + " 201s before the kill");
    }

    private IntakeLoad load(String marker, int threads) {
        return target.intake(marker).start(threads);
    }

    /** Requests sent again with their key: each 503 and each request left without an answer. */
    private static long retried(IntakeLoad load) {
        return load.statuses().getOrDefault(503, 0L) + load.noAnswer();
    }

    private static long countAfter(IntakeLoad load, long since) {
        // firstAckAfter only tells whether one came; count by looking at successive ones
        long n = 0, t = since;
        while ((t = load.firstAckAfter(t)) >= 0) {
            n++;
            t++;
        }
        return n;
    }

    private String statusOr(String key) {
        try {
            return cluster.status().getOrDefault(key, "");
        } catch (Exception e) {
            return "";
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private int postOnce(String base, String key) {
        String body =
                "{\"category\":\""
                        + target.category()
                        + "\",\"channel\":\"PUBLIC_ONLINE\",\"description\":\""
                        + key
                        + "\",\"location\":{\"lon\":"
                        + target.lon()
                        + ",\"lat\":"
                        + target.lat()
                        + "}}";
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/incidents"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/json")
                                    .header("Idempotency-Key", key)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** [acknowledged ids not in the database, rows beyond one per description (key)]. */
    private long[] lostAndDuplicates(String marker, Collection<Long> acked) throws Exception {
        try (Connection c = cluster.ownerConnection()) {
            return FaultScenarios.lostAndDuplicates(c, marker, acked);
        }
    }

    /**
     * [keys sent with no incident, keys with more than one], counting incidents by their stored
     * Idempotency-Key.
     */
    private long[] perKey(String marker, int keys) throws Exception {
        try (Connection c = cluster.ownerConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                        SELECT count(*), count(*) FILTER (WHERE n > 1) FROM (
                          SELECT idempotency_key, count(*) AS n FROM incident
                          WHERE idempotency_key LIKE '%' || ? || '-%' GROUP BY idempotency_key) k""")) {
            ps.setString(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {keys - rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
