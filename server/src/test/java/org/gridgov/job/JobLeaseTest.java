package org.gridgov.job;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Jobs in a cluster (docs/cluster.md): an instance that starts fails the jobs whose instance died
 * (lease ran out) and its own name's leftovers, never a job another live instance is running; a
 * running job's lease is renewed. Rows of their own, with owners no server has, deleted after.
 */
@Tag("db")
class JobLeaseTest {

    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final List<UUID> rows = new ArrayList<>();

    private static DataSource ds() {
        return TestDatabase.get().dataSource();
    }

    /**
     * A RUNNING job of another instance whose lease ends in the given seconds (negative: ended).
     */
    private UUID running(String owner, int leaseSeconds) throws SQLException {
        UUID id = UUID.randomUUID();
        rows.add(id);
        try (Connection c = ds().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO job (id, kind, status, owner, lease_until)"
                                        + " VALUES (?, 'lease-test', 'RUNNING', ?,"
                                        + " now() + ? * interval '1 second')")) {
            ps.setObject(1, id);
            ps.setString(2, owner);
            ps.setInt(3, leaseSeconds);
            ps.executeUpdate();
        }
        return id;
    }

    /** [status, error, seconds left on the lease]. */
    private static Object[] row(UUID id) throws SQLException {
        try (Connection c = ds().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT status, error, extract(epoch FROM lease_until - now())"
                                        + " FROM job WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "job " + id + " exists");
                return new Object[] {rs.getString(1), rs.getString(2), rs.getDouble(3)};
            }
        }
    }

    @AfterEach
    void deleteRows() throws SQLException {
        try (Connection c = ds().getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM job WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", rows.toArray()));
            ps.executeUpdate();
        }
    }

    @Test
    void aStartFailsOnlyTheJobsWhoseInstanceIsGone() throws Exception {
        UUID live = running("live-" + tag, 60);
        UUID dead = running("dead-" + tag, -5);
        UUID leftover = running("second-" + tag, 60);

        // a second instance starts, under the name that left the leftover (the dead job may
        // already have been swept by the test server's renewal tick: the rows say what happened)
        assertTrue(Jobs.failOrphans(ds(), "second-" + tag) >= 1);

        assertEquals("RUNNING", row(live)[0], "a job another live instance runs survives");
        assertNull(row(live)[1]);
        Object[] d = row(dead);
        assertEquals("FAILED", d[0]);
        assertTrue(
                ((String) d[1])
                        .matches(
                                "the instance dead-"
                                        + tag
                                        + " running the job stopped: its lease ran out at"
                                        + " \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                (String) d[1]);
        Object[] l = row(leftover);
        assertEquals("FAILED", l[0]);
        assertEquals("the instance second-" + tag + " restarted while the job ran", l[1]);
    }

    @Test
    void aRunningJobKeepsItsLeaseAndALiveInstanceSweepsTheDeadOnes() throws Exception {
        Vertx vertx = Vertx.vertx();
        CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        try {
            Jobs jobs = new Jobs(ds(), vertx, "renewing-" + tag);
            jobs.completionHook(
                    (stage, job, params) -> {
                        if (stage == Jobs.Stage.ENDED) ended.countDown();
                    });
            UUID id =
                    jobs.submit(
                            "lease-test",
                            JsonNodeFactory.instance.objectNode(),
                            ctx -> {
                                started.countDown();
                                assertTrue(release.await(60, TimeUnit.SECONDS));
                                return null;
                            });
            rows.add(id);
            assertTrue(started.await(60, TimeUnit.SECONDS), "the job started");
            // as if the renewals had stalled: the lease has ten seconds left
            try (Connection c = ds().getConnection();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE job SET lease_until = now() + interval '10 seconds'"
                                            + " WHERE id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            UUID dead = running("dead-" + tag, -1);

            assertEquals(1, jobs.renewLeases(), "this instance's one job renewed");
            Object[] mine = row(id);
            assertEquals("RUNNING", mine[0]);
            assertTrue((double) mine[2] > 50, "the lease runs a minute again: " + mine[2]);
            assertEquals("FAILED", row(dead)[0], "the dead instance's job, swept");

            // another instance starting leaves it alone
            Jobs.failOrphans(ds(), "other-" + tag);
            assertEquals("RUNNING", row(id)[0]);

            release.countDown();
            assertTrue(ended.await(60, TimeUnit.SECONDS), "the job ended");
            assertEquals("DONE", row(id)[0]);
        } finally {
            release.countDown();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
