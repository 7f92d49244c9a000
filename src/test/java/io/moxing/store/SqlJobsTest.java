package io.moxing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.TestDatabases;
import io.moxing.core.Json;
import io.moxing.jobs.Job;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobLogLine;
import io.moxing.jobs.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The job queue's storage on SQLite and on PostgreSQL (MOXING_TEST_POSTGRES): claims, ownership, recovery, logs. */
class SqlJobsTest {
    private static final Set<JobKind> TRAIN = Set.of(JobKind.TRAIN);
    @TempDir static Path tmp;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    private static Job queued(String id, JobKind kind, long createdMs) {
        JsonNode params = Json.MAPPER.createObjectNode().put("spec", "cnn-28");
        return new Job(id, kind, params, JobState.QUEUED, 0, null, null, null, null, null, null, false, null,
                Instant.ofEpochMilli(createdMs), null, null);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void claimsTheOldestQueuedJobOfAKindItRunsAndOnlyItsOwnerChangesIt(String kind) {
        SqlJobs jobs = new SqlJobs(TestDatabases.fresh(kind, tmp));
        jobs.insert(queued("b", JobKind.TRAIN, 2000));
        jobs.insert(queued("a", JobKind.TRAIN, 1000));
        jobs.insert(queued("e", JobKind.EVALUATE, 500));
        Instant now = Instant.ofEpochMilli(5000);

        Job a = jobs.claim(TRAIN, "node-1", now).orElseThrow();
        assertEquals("a", a.id(), "oldest first, and only a kind the node has a handler for");
        assertEquals(JobState.RUNNING, a.state());
        assertEquals(1, a.attempts());
        assertEquals("node-1", a.owner());
        assertEquals(now, a.startedAt());
        assertEquals("cnn-28", a.params().get("spec").asText());

        assertTrue(jobs.remember("a", "node-1", "run-42"));
        assertFalse(jobs.remember("a", "node-2", "run-43"), "another owner changes nothing");
        assertTrue(jobs.heartbeat("a", "node-1", 0.5, "epoch 1/2", now.plusSeconds(2)).isPresent());
        assertTrue(jobs.heartbeat("a", "node-2", 0.9, "no", now.plusSeconds(2)).isEmpty());
        Job beating = jobs.find("a").orElseThrow();
        assertEquals("run-42", beating.resumeRef());
        assertEquals(0.5, beating.progress());
        assertEquals("epoch 1/2", beating.progressMessage());

        assertFalse(jobs.finish("a", "node-2", JobState.SUCCEEDED, null, null, now));
        assertTrue(jobs.finish("a", "node-1", JobState.SUCCEEDED, Json.MAPPER.createObjectNode().put("version", 3), null,
                now.plusSeconds(9)));
        Job done = jobs.find("a").orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals(1.0, done.progress());
        assertEquals(3, done.result().get("version").asInt());
        assertEquals(now.plusSeconds(9), done.finishedAt());
        assertFalse(jobs.finish("a", "node-1", JobState.FAILED, null, "late", now), "a finished job stays finished");

        assertEquals("b", jobs.claim(TRAIN, "node-2", now).orElseThrow().id());
        assertTrue(jobs.claim(TRAIN, "node-1", now).isEmpty());
        assertEquals(List.of("e"), jobs.list(JobState.QUEUED, 10).stream().map(Job::id).toList());
        assertEquals(List.of("b", "a", "e"), jobs.list(null, 10).stream().map(Job::id).toList(), "newest first");
        assertEquals(List.of("b"), jobs.running().stream().map(Job::id).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void workersRacingForTheQueueNeverTakeTheSameJob(String kind) throws Exception {
        SqlJobs jobs = new SqlJobs(TestDatabases.fresh(kind, tmp));
        int count = 24;
        for (int i = 0; i < count; i++) jobs.insert(queued(String.format("job-%02d", i), JobKind.TRAIN, i));
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentHashMap<String, String> takenBy = new ConcurrentHashMap<>();
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String owner = "node-" + w;
            results.add(pool.submit(() -> {
                go.await();
                int mine = 0;
                for (Optional<Job> j; (j = jobs.claim(TRAIN, owner, Instant.now())).isPresent(); mine++) {
                    String before = takenBy.putIfAbsent(j.get().id(), owner);
                    if (before != null) throw new AssertionError(j.get().id() + " taken by " + before + " and " + owner);
                }
                return mine;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> r : results) total += r.get();
        pool.shutdown();
        assertEquals(count, total);
        assertEquals(count, takenBy.size());
        for (Job j : jobs.running()) {
            assertEquals(takenBy.get(j.id()), j.owner(), "the row names the worker that won it");
            assertEquals(1, j.attempts());
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRequeuedJobKeepsItsResumePointAndALateHeartbeatWinsTheRace(String kind) {
        SqlJobs jobs = new SqlJobs(TestDatabases.fresh(kind, tmp));
        jobs.insert(queued("a", JobKind.TRAIN, 1));
        Instant t0 = Instant.ofEpochMilli(10_000);
        jobs.claim(TRAIN, "dead-node", t0);
        jobs.remember("a", "dead-node", "run-7");
        jobs.heartbeat("a", "dead-node", 0.25, "epoch 1/4 done", t0.plusSeconds(2));

        assertFalse(jobs.requeue("a", "dead-node", t0.plusSeconds(1)), "its heartbeat is newer than the cut-off: still alive");
        assertFalse(jobs.requeue("a", "other", t0.plusSeconds(5)), "only the owner that was seen is displaced");
        assertTrue(jobs.requeue("a", "dead-node", t0.plusSeconds(5)));
        Job back = jobs.find("a").orElseThrow();
        assertEquals(JobState.QUEUED, back.state());
        assertNull(back.owner());
        assertEquals("run-7", back.resumeRef());
        assertTrue(jobs.heartbeat("a", "dead-node", 0.5, "too late", t0.plusSeconds(6)).isEmpty(),
                "the displaced owner learns it lost the job");

        Job again = jobs.claim(TRAIN, "new-node", t0.plusSeconds(7)).orElseThrow();
        assertEquals(2, again.attempts());
        assertEquals("run-7", again.resumeRef());
        assertEquals(t0, again.startedAt(), "started when first started");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void cancellingAQueuedJobEndsItAndARunningOneIsAskedToStop(String kind) {
        SqlJobs jobs = new SqlJobs(TestDatabases.fresh(kind, tmp));
        jobs.insert(queued("q", JobKind.TRAIN, 2));
        jobs.insert(queued("r", JobKind.TRAIN, 1));
        Instant now = Instant.ofEpochMilli(1_000);
        jobs.claim(TRAIN, "node", now);

        Job q = jobs.cancel("q", now).orElseThrow();
        assertEquals(JobState.CANCELLED, q.state());
        assertEquals(now, q.finishedAt());
        Job r = jobs.cancel("r", now).orElseThrow();
        assertEquals(JobState.RUNNING, r.state(), "a worker holds it: it stops at its next check");
        assertTrue(r.cancelRequested());
        assertTrue(jobs.heartbeat("r", "node", null, null, now).orElseThrow().cancelRequested(), "the worker sees it");
        assertTrue(jobs.cancel("nope", now).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobKeepsItsNewestLogLinesInOrder(String kind) {
        SqlJobs jobs = new SqlJobs(TestDatabases.fresh(kind, tmp));
        jobs.insert(queued("a", JobKind.TRAIN, 1));
        jobs.insert(queued("b", JobKind.TRAIN, 2));
        for (int i = 1; i <= 7; i++) jobs.log("a", Instant.ofEpochMilli(i), "line " + i, 5);
        jobs.log("b", Instant.ofEpochMilli(1), "b's own", 5);
        List<JobLogLine> tail = jobs.logs("a", 3);
        assertEquals(List.of("line 5", "line 6", "line 7"), tail.stream().map(JobLogLine::line).toList());
        assertEquals(List.of(5L, 6L, 7L), tail.stream().map(JobLogLine::seq).toList());
        assertEquals(5, jobs.logs("a", 100).size(), "only the newest five are kept");
        assertEquals(List.of("b's own"), jobs.logs("b", 10).stream().map(JobLogLine::line).toList());
    }
}
