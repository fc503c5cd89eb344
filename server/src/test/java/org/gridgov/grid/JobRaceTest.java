package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gridgov.job.Jobs;
import org.gridgov.testing.JobHold;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cancels and commits racing a job's end, provoked deterministically: the server's job runner is
 * held at a point of its completing transaction (Jobs.CompletionHook) or the test holds the job row
 * from a second connection, and the other side is sent while it waits.
 */
@Tag("db")
class JobRaceTest {

    @AfterEach
    void removeHook() {
        JobHold.remove();
    }

    static TestServer.Answer cancel(String job) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/jobs/" + job))
                        .header("Authorization", "Bearer " + TestServer.token("planner"))
                        .DELETE()
                        .build());
    }

    static long count(String sql, Object arg) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Waits until n backends wait for a lock while running a statement that starts with the given
     * text.
     */
    static void awaitLockWaiters(String statementStart, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            long waiting =
                    count(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND starts_with(query, ?)",
                            statementStart);
            if (waiting == n) return;
            assertTrue(
                    System.currentTimeMillis() < deadline,
                    waiting + " of " + n + " statements waiting on a lock: " + statementStart);
            Thread.sleep(20);
        }
    }

    static String rebalance(String name) {
        var a =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + PlanningApiTest.activePlan() + "/rebalance",
                        "{\"mode\": \"keepCount\", \"name\": \"" + name + "\"}");
        assertEquals(202, a.status(), a.body());
        return a.json().get("jobId").asText();
    }

    /** Starts a rebalance into a draft of this name and holds its job at the stage. */
    static JobHold rebalanceHeldAt(Jobs.Stage stage, String name) throws InterruptedException {
        JobHold hold = JobHold.install(stage, p -> name.equals(p.path("name").asText()));
        String job = rebalance(name);
        hold.awaitReached();
        assertEquals(job, hold.job().toString(), "the held job is the one started");
        return hold;
    }

    @Test
    void aCancelThatComesBeforeTheDraftIsWrittenLeavesNoDraft() throws Exception {
        String name = "cancel race " + UUID.randomUUID();
        // held after the engine and every cancel check in Java, just before the draft's transaction
        JobHold hold = rebalanceHeldAt(Jobs.Stage.BEFORE_LOCK, name);
        String job = hold.job().toString();
        var del = cancel(job);
        assertEquals(200, del.status(), del.body());
        assertEquals("CANCELLED", del.json().get("status").asText());
        hold.releaseAndAwaitEnd();
        JsonNode j = TestServer.getAs("planner", "/api/v1/jobs/" + job).json();
        assertEquals("CANCELLED", j.get("status").asText(), j.toString());
        assertFalse(j.has("result"), j.toString());
        assertEquals(
                0,
                count("SELECT count(*) FROM grid_plan WHERE name = ?", name),
                "a cancelled job leaves no draft");
    }

    @Test
    void aCancelThatComesWhileTheDraftCommitsWaitsAndIsRefused() throws Exception {
        String name = "commit race " + UUID.randomUUID();
        // held with the draft written and the job row locked, before the commit
        JobHold hold = rebalanceHeldAt(Jobs.Stage.BEFORE_COMMIT, name);
        String job = hold.job().toString();
        CompletableFuture<TestServer.Answer> del = CompletableFuture.supplyAsync(() -> cancel(job));
        awaitLockWaiters("UPDATE job SET status = 'CANCELLED'", 1);
        assertFalse(del.isDone(), "the cancel waits for the draft's transaction");
        hold.releaseAndAwaitEnd();
        var answer = del.get(30, TimeUnit.SECONDS);
        assertEquals(409, answer.status(), answer.body());
        assertTrue(
                answer.contentType().startsWith("application/problem+json"), answer.contentType());
        assertTrue(answer.json().get("type").asText().endsWith("/job-finished"), answer.body());
        assertTrue(answer.json().get("detail").asText().contains("DONE"), answer.body());

        JsonNode j = TestServer.getAs("planner", "/api/v1/jobs/" + job).json();
        assertEquals("DONE", j.get("status").asText(), j.toString());
        long plan = j.get("result").get("planId").asLong();
        JsonNode p = TestServer.getAs("planner", "/api/v1/plans/" + plan).json();
        assertEquals(name, p.get("name").asText());
        assertEquals("DRAFT", p.get("status").asText());
        assertEquals(409, cancel(job).status(), "still finished");
        assertEquals(404, cancel(UUID.randomUUID().toString()).status());
    }

    @Test
    void aCancelledImportLeavesNothingStagedAndCannotBeCommitted() throws Exception {
        byte[] file = AreaImportTest.sql(AreaImportTest.COMMUNITIES_FC).getBytes();
        JobHold hold =
                JobHold.install(
                        Jobs.Stage.BEFORE_LOCK,
                        p ->
                                p.path("kind").asText().equals("communities")
                                        && p.path("bytes").asInt() == file.length);
        var a = PlanImportTest.upload("?kind=communities", file);
        assertEquals(202, a.status(), a.body());
        String job = a.json().get("jobId").asText();
        hold.awaitReached();
        assertEquals(200, cancel(job).status());
        hold.releaseAndAwaitEnd();
        assertEquals(
                "CANCELLED",
                TestServer.getAs("planner", "/api/v1/jobs/" + job).json().get("status").asText());
        assertEquals(
                0,
                count("SELECT count(*) FROM import_feature WHERE job_id = ?", UUID.fromString(job)),
                "nothing staged");
        var commit = TestServer.postAs("planner", "/api/v1/imports/" + job + "/commit", "{}");
        assertEquals(409, commit.status(), commit.body());
        assertTrue(commit.json().get("type").asText().endsWith("/import-not-ready"), commit.body());
    }

    @Test
    void twoCommitsOfOneImportRunOneAfterTheOther() throws Exception {
        long units =
                TestDatabase.queryLong("SELECT count(*) FROM base_unit WHERE retired_at IS NULL");
        JsonNode report =
                AreaImportTest.report(
                        "units", AreaImportTest.sql(AreaImportTest.UNITS_FC).getBytes());
        assertTrue(report.get("valid").asBoolean(), report.toString());
        String job = report.get("importId").asText();
        List<CompletableFuture<TestServer.Answer>> commits;
        // a second connection holds the import's job row, so both commits are in flight before
        // either may start
        try (Connection c = TestDatabase.get().connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT 1 FROM job WHERE id = ? FOR UPDATE")) {
                ps.setObject(1, UUID.fromString(job));
                ps.executeQuery().close();
            }
            commits =
                    List.of(
                            CompletableFuture.supplyAsync(
                                    () ->
                                            TestServer.postAs(
                                                    "planner",
                                                    "/api/v1/imports/" + job + "/commit",
                                                    "{}")),
                            CompletableFuture.supplyAsync(
                                    () ->
                                            TestServer.postAs(
                                                    "planner",
                                                    "/api/v1/imports/" + job + "/commit",
                                                    "{}")));
            awaitLockWaiters("SELECT status FROM job WHERE id = $1 FOR UPDATE", 2);
            c.commit();
        }
        List<Integer> statuses = commits.stream().map(f -> f.join().status()).sorted().toList();
        assertEquals(
                List.of(200, 409),
                statuses,
                "one commit applies the import, the other finds nothing staged");
        for (var f : commits) {
            if (f.join().status() == 409)
                assertTrue(
                        f.join().json().get("type").asText().endsWith("/nothing-to-commit"),
                        f.join().body());
        }
        assertEquals(
                units,
                TestDatabase.queryLong("SELECT count(*) FROM base_unit WHERE retired_at IS NULL"),
                "the same units are current: the second commit retired none");
    }
}
