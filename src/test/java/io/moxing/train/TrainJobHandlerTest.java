package io.moxing.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.jobs.Job;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobQueue;
import io.moxing.jobs.JobRunner;
import io.moxing.jobs.JobState;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlJobs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training as a job, in process on the toy MLP: cancelled at a batch, and never registered twice. */
class TrainJobHandlerTest {
    @TempDir Path tmp;
    private MoxingHome home;
    private SqlJobs store;
    private JobQueue queue;
    private JobRunner runner;

    @BeforeEach
    void start() {
        home = new MoxingHome(tmp);
        store = new SqlJobs(Database.open(null, home.database()));
        queue = new JobQueue(store).register(JobKind.TRAIN, new TrainJobHandler(home));
        runner = new JobRunner(queue, 1, Duration.ofMillis(100), "test-node", new PrintStream(PrintStream.nullOutputStream())).start();
    }

    @AfterEach
    void stop() {
        runner.close(Duration.ofSeconds(10));
    }

    private static ObjectNode toy(int epochs) {
        return Json.MAPPER.createObjectNode().put("spec", "mlp-toy").put("epochs", epochs).put("name", "toy-job");
    }

    private Job waitFor(String id, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not so within 60 s: " + what + " " + store.find(id));
            Thread.sleep(20);
        }
        return store.find(id).orElseThrow();
    }

    @Test
    void aCancelledTrainingJobStopsAtItsNextBatchAndRegistersNothing() throws Exception {
        String id = queue.submit(JobKind.TRAIN, toy(1_000_000)).id();
        waitFor(id, () -> store.find(id).orElseThrow().progress() != null, "training reported progress");
        queue.cancel(id);
        Job cancelled = waitFor(id, () -> store.find(id).orElseThrow().state().finished(), "the job ended");
        assertEquals(JobState.CANCELLED, cancelled.state(), String.valueOf(cancelled.error()));
        assertTrue(cancelled.progress() < 0.5, "stopped early: " + cancelled.progress());
        assertTrue(new ModelRegistry(home.models()).list().isEmpty(), "nothing registered");
    }

    @Test
    void aJobResumedAfterItsRunRegisteredReportsThatVersionInsteadOfTrainingAgain() throws Exception {
        String first = queue.submit(JobKind.TRAIN, toy(20)).id();
        Job done = waitFor(first, () -> store.find(first).orElseThrow().state().finished(), "the first job ended");
        assertEquals(JobState.SUCCEEDED, done.state(), done.error());
        assertEquals(1, done.result().get("version").asInt());

        // as if the server had died after registering, before the job was marked succeeded: queued again with its run
        String runId = done.resumeRef();
        store.insert(new Job("job-crashed", JobKind.TRAIN, toy(20), JobState.QUEUED, 1, 0.99, null, runId, null, null, null,
                false, null, Instant.now(), Instant.now(), null));
        Job again = waitFor("job-crashed", () -> store.find("job-crashed").orElseThrow().state().finished(), "the resumed job ended");
        assertEquals(JobState.SUCCEEDED, again.state(), again.error());
        assertEquals(1, again.result().get("version").asInt(), again.result().toString());
        assertEquals(runId, again.result().get("run_id").asText());
        assertEquals(1, new ModelRegistry(home.models()).list().size(), "no second version");
        assertFalse(queue.detail("job-crashed", 10).log().stream().noneMatch(l -> l.line().contains("had already registered toy-job:1")));
    }
}
