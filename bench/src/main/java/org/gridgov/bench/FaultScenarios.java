package org.gridgov.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Faults under intake load, each followed by the client's retry of every request with its
 * Idempotency-Key and a count in the database: the faults bench runs them at length, the fault
 * tests briefly. Waits are for conditions, each bounded only to catch a hang.
 */
public final class FaultScenarios {

    /** A step of a scenario that acts on the world (kill a process, stop PostgreSQL). */
    public interface Action {
        void run() throws Exception;
    }

    /** Where the load goes and with what. */
    public record Target(
            Supplier<String> base, String token, String category, double lon, double lat) {

        /** Anonymous-style reports at this target, each keyed and described by the marker. */
        public IntakeLoad intake(String marker) {
            return new IntakeLoad(base, token, category, lon, lat, marker, 0);
        }
    }

    /**
     * What a scenario saw. {@code missing}: acknowledged ids not in the database; {@code
     * duplicates}: rows beyond one per key; {@code replayMismatches}: retries of acknowledged keys
     * that answered another id; {@code serverErrors}: 5xx other than 503 problem+json; {@code
     * outageMs}: the longest time without a 201 as clients saw it; {@code recoveryMs}: from the
     * fault's end (server or PostgreSQL up) to the next 201.
     */
    public record Outcome(
            String name,
            long sent,
            long acknowledged,
            long missing,
            long duplicates,
            long replayMismatches,
            Map<Integer, Long> statuses,
            List<String> serverErrors,
            long noAnswer,
            double outageMs,
            double recoveryMs) {

        public void print() {
            String p = "faults." + name + ".";
            System.out.printf(
                    "%ssent=%d%n%sacknowledged=%d%n%sacknowledged_missing=%d%n%sduplicates=%d%n%sreplay_mismatches=%d%n"
                            + "%sstatuses=%s%n%sserver_errors=%d%n%sno_answer=%d%n%soutage_ms=%.0f%n%srecovery_ms=%.0f%n",
                    p,
                    sent,
                    p,
                    acknowledged,
                    p,
                    missing,
                    p,
                    duplicates,
                    p,
                    replayMismatches,
                    p,
                    statuses,
                    p,
                    serverErrors.size(),
                    p,
                    noAnswer,
                    p,
                    outageMs,
                    p,
                    recoveryMs);
            serverErrors.stream()
                    .limit(5)
                    .forEach(e -> System.out.println(p + "server_error: " + e));
        }
    }

    private FaultScenarios() {}

    /**
     * Intake load; after {@code before} acknowledgements, {@code fault}; then {@code repair}; load
     * until a 201 comes after the repair; then every request is retried with its key and counted.
     * With {@code waitForOutage}, the fault's effect must be seen by the clients (for a database
     * outage: 503s) before the repair.
     */
    public static Outcome run(
            String name,
            Target target,
            DataSource verify,
            int threads,
            int before,
            Action fault,
            java.util.function.Predicate<IntakeLoad> outageSeen,
            Action repair)
            throws Exception {
        String marker = "faults-" + name + "-" + Long.toHexString(System.nanoTime());
        IntakeLoad load = target.intake(marker);
        load.start(threads);
        try {
            waitFor(
                    () -> load.acknowledgedCount() >= before,
                    Duration.ofMinutes(3),
                    "acknowledgements before the fault");
            long faultAt = System.nanoTime();
            fault.run();
            if (outageSeen != null)
                waitFor(
                        () -> outageSeen.test(load),
                        Duration.ofMinutes(3),
                        "the outage seen by clients");
            repair.run();
            long repairedAt = System.nanoTime();
            waitFor(
                    () -> load.firstAckAfter(repairedAt) >= 0,
                    Duration.ofMinutes(3),
                    "a 201 after the repair");
            load.stop();
            Map<String, Long> acked = load.acknowledged();
            Map<String, Long> retried = load.retryAll(Duration.ofMinutes(3));
            long mismatches =
                    acked.entrySet().stream()
                            .filter(e -> !e.getValue().equals(retried.get(e.getKey())))
                            .count();
            long[] counts = count(verify, marker, acked.values());
            return new Outcome(
                    name,
                    load.sent().size(),
                    acked.size(),
                    counts[0],
                    counts[1],
                    mismatches,
                    load.statuses(),
                    load.serverErrors(),
                    load.noAnswer(),
                    load.longestGapMs(faultAt - 1),
                    (load.firstAckAfter(repairedAt) - repairedAt) / 1e6);
        } finally {
            load.stop();
        }
    }

    /** [acknowledged ids missing, rows beyond one per key] for the run's marker. */
    static long[] count(DataSource ds, String marker, java.util.Collection<Long> acknowledged)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            return lostAndDuplicates(c, marker, acknowledged);
        }
    }

    /**
     * [acknowledged ids not in the database, rows beyond one per description] for the incidents
     * whose description starts with the run's marker (its key): what a fault cost in lost and
     * doubled reports. Used by the fault scenarios here and by the cluster's failover.
     */
    public static long[] lostAndDuplicates(
            Connection c, String marker, java.util.Collection<Long> acknowledged)
            throws SQLException {
        long missing;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*) FROM unnest(?::bigint[]) a(id) WHERE NOT EXISTS (SELECT 1 FROM incident i WHERE i.id = a.id)")) {
            ps.setArray(1, c.createArrayOf("bigint", acknowledged.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                missing = rs.getLong(1);
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*) - count(DISTINCT description) FROM incident WHERE description LIKE ? || '-%'")) {
            ps.setString(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {missing, rs.getLong(1)};
            }
        }
    }

    /** Waits for a condition, failing after {@code bound} (which only catches hangs). */
    public static void waitFor(BooleanSupplier condition, Duration bound, String what)
            throws InterruptedException {
        long until = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until)
                throw new IllegalStateException("gave up waiting for " + what + " after " + bound);
            Thread.sleep(50);
        }
    }
}
