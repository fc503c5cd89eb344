package org.gridgov.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.gridgov.job.Jobs;

/**
 * Holds the first job whose params match at one stage of its end until released, and tells when
 * that job has ended: a test races a cancel or a commit against a job deterministically instead of
 * hoping the job is slow enough. Installed on the shared test server; remove it with {@link
 * #remove()} (an {@code @AfterEach}).
 */
public final class JobHold implements Jobs.CompletionHook {
    private final Predicate<JsonNode> which;
    private final Jobs.Stage stage;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch go = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile UUID job;

    private JobHold(Jobs.Stage stage, Predicate<JsonNode> which) {
        this.stage = stage;
        this.which = which;
    }

    /** Installs a hold at stage for the first job whose params match. */
    public static JobHold install(Jobs.Stage stage, Predicate<JsonNode> which) {
        JobHold hold = new JobHold(stage, which);
        TestServer.get().jobs().completionHook(hold);
        return hold;
    }

    public static void remove() {
        TestServer.get().jobs().completionHook(null);
    }

    @Override
    public void at(Jobs.Stage s, UUID id, JsonNode params) throws InterruptedException {
        // The job is recognised at whichever stage it first shows: a job cancelled while it
        // computes ends without reaching the held stage.
        synchronized (this) {
            if (job == null && which.test(params)) job = id;
        }
        if (!id.equals(job)) return;
        if (s == Jobs.Stage.ENDED) ended.countDown();
        if (s == stage) {
            reached.countDown();
            assertTrue(go.await(60, TimeUnit.SECONDS), "the test let the job go on");
        }
    }

    /** The held job's id, once it reached a stage. */
    public UUID job() {
        return job;
    }

    public void awaitReached() throws InterruptedException {
        assertTrue(reached.await(60, TimeUnit.SECONDS), "the job reached " + stage);
    }

    /** Lets the job go on (if it is held) and waits until it has ended. */
    public void releaseAndAwaitEnd() throws InterruptedException {
        go.countDown();
        assertTrue(ended.await(60, TimeUnit.SECONDS), "the job ended");
    }
}
