package io.moxing.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.store.Database;
import io.moxing.store.SqlJobs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner in one process, with small handlers of its own: outcomes, cancellation, shutdown, take-over. */
class JobRunnerTest {
    private static final Duration BEAT = Duration.ofMillis(100);
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    @TempDir Path tmp;
    private SqlJobs store;
    private JobQueue queue;
    private JobRunner runner;

    @BeforeEach
    void open() {
        store = new SqlJobs(Database.open(null, tmp.resolve("moxing.db")));
        queue = new JobQueue(store);
    }

    @AfterEach
    void close() {
        if (runner != null) runner.close(Duration.ofSeconds(10));
    }

    private static JsonNode params() {
        return Json.MAPPER.createObjectNode().put("n", 1);
    }

    private JobRunner start(String owner) {
        return new JobRunner(queue, 1, BEAT, owner, QUIET).start();
    }

    private Job waitFor(String id, JobState state) throws InterruptedException {
        waitUntil(() -> store.find(id).orElseThrow().state() == state, id + " " + state.wireName());
        return store.find(id).orElseThrow();
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not so within 20 s: " + what);
            Thread.sleep(10);
        }
    }

    /** Waits, checking for a stop, until stopped: a job that only ends when told to. */
    private static Object untilStopped(JobContext context) {
        while (true) {
            context.stopIfRequested();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aJobEndsSucceededWithItsResultOrFailedWithTheUsersMistake() throws Exception {
        queue.register(JobKind.EVALUATE, context -> {
            context.progress(0.5, "half way");
            context.log("looked at " + context.params().get("n"));
            return Map.of("answer", 42);
        });
        queue.register(JobKind.TRAIN, context -> {
            throw new UserException("unknown_dataset", "no data set 'nope'; see moxing data list");
        });
        String good = queue.submit(JobKind.EVALUATE, params()).id();
        String bad = queue.submit(JobKind.TRAIN, params()).id();
        runner = start("node");

        Job done = waitFor(good, JobState.SUCCEEDED);
        assertEquals(42, done.result().get("answer").asInt());
        assertEquals(1.0, done.progress());
        assertEquals(1, done.attempts());
        List<String> log = queue.detail(good, 10).log().stream().map(JobLogLine::line).toList();
        assertEquals("started", log.get(0));
        assertEquals("looked at 1", log.get(1));
        assertTrue(log.get(2).startsWith("succeeded after"), log.toString());
        Job failed = waitFor(bad, JobState.FAILED);
        assertEquals("no data set 'nope'; see moxing data list", failed.error());
        assertNull(failed.result());
    }

    @Test
    void aCancelledRunningJobStopsAtItsNextCheckAndAQueuedOneNeverRuns() throws Exception {
        queue.register(JobKind.TRAIN, JobRunnerTest::untilStopped);
        String running = queue.submit(JobKind.TRAIN, params()).id();
        String waiting = queue.submit(JobKind.TRAIN, params()).id();
        runner = start("node");
        waitFor(running, JobState.RUNNING);
        assertEquals(JobState.CANCELLED, queue.cancel(waiting).state(), "queued: cancelled at once");
        assertTrue(queue.cancel(running).cancelRequested());
        waitFor(running, JobState.CANCELLED);
        UserException twice = assertThrows(UserException.class, () -> queue.cancel(running));
        assertEquals("job_finished", twice.code());
        assertEquals(0, store.find(waiting).orElseThrow().attempts(), "never taken");
    }

    @Test
    void aServerShuttingDownPutsItsJobBackAndTheNextResumesItFromWhatItRemembered() throws Exception {
        queue.register(JobKind.TRAIN, context -> {
            if (context.resumeRef() == null) {
                context.remember("step-1");
                return untilStopped(context);
            }
            return Map.of("resumed_from", context.resumeRef(), "attempt", context.attempt());
        });
        String id = queue.submit(JobKind.TRAIN, params()).id();
        runner = start("first");
        waitUntil(() -> "step-1".equals(store.find(id).orElseThrow().resumeRef()), "remembered");
        runner.close(Duration.ofSeconds(10));
        Job back = store.find(id).orElseThrow();
        assertEquals(JobState.QUEUED, back.state(), "back in the queue, not failed or lost");
        assertEquals("step-1", back.resumeRef());

        runner = start("second");
        Job done = waitFor(id, JobState.SUCCEEDED);
        assertEquals("step-1", done.result().get("resumed_from").asText());
        assertEquals(2, done.result().get("attempt").asInt());
    }

    @Test
    void aJobWhoseServerStoppedBeatingIsTakenOverAndOneInterruptedTooOftenFails() throws Exception {
        queue.register(JobKind.TRAIN, context -> Map.of("by", "the new node"));
        String orphan = queue.submit(JobKind.TRAIN, params()).id();
        store.claim(java.util.Set.of(JobKind.TRAIN), "elsewhere/1/0", Instant.now().minusSeconds(60));
        String cursed = queue.submit(JobKind.TRAIN, params()).id();
        for (int attempt = 1; attempt <= JobRunner.MAX_ATTEMPTS; attempt++) {
            Instant longAgo = Instant.now().minusSeconds(60);
            store.claim(java.util.Set.of(JobKind.TRAIN), "elsewhere/1/0", longAgo);
            if (attempt < JobRunner.MAX_ATTEMPTS) store.requeue(cursed, "elsewhere/1/0", Instant.now());
        }
        runner = start("node");

        Job taken = waitFor(orphan, JobState.SUCCEEDED);
        assertEquals(2, taken.attempts());
        assertEquals("node", taken.owner());
        Job failed = waitFor(cursed, JobState.FAILED);
        assertTrue(failed.error().startsWith("interrupted 3 times (no heartbeat from elsewhere/1/0"), failed.error());
    }

    @Test
    void aJobIsOnlyQueuedWhenAHandlerOfItsKindAcceptsItsParams() {
        queue.register(JobKind.TRAIN, new JobHandler() {
            @Override
            public void validate(JsonNode params) {
                if (!params.has("spec")) throw new UserException("missing_field", "field \"spec\" is required");
            }

            @Override
            public Object run(JobContext context) {
                return null;
            }
        });
        assertEquals("unsupported_kind", assertThrows(UserException.class,
                () -> queue.submit(JobKind.RETRAIN, params())).code());
        assertEquals("missing_field", assertThrows(UserException.class, () -> queue.submit(JobKind.TRAIN, params())).code());
        assertEquals("invalid_field", assertThrows(UserException.class,
                () -> queue.submit(JobKind.TRAIN, Json.MAPPER.createArrayNode())).code());
        assertTrue(store.list(null, 10).isEmpty());
        assertEquals(JobKind.FEEDBACK_EXPORT, JobKind.parse("feedback-export"));
        assertEquals("invalid_kind", assertThrows(UserException.class, () -> JobKind.parse("FEEDBACK_EXPORT")).code());
    }
}
