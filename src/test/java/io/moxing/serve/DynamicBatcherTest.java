package io.moxing.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When a worker runs its batch: an idle worker takes the first rows at once; one waiting out its delay for
 * companions is woken by the rows that fill its batch, and otherwise runs what it has when the delay is over.
 */
class DynamicBatcherTest {
    private final List<Integer> batches = new CopyOnWriteArrayList<>();

    private DynamicBatcher batcher(int maxBatch, int maxDelayMs) {
        return batcher(maxBatch, maxDelayMs, 1);
    }

    private DynamicBatcher batcher(int maxBatch, int maxDelayMs, int workers) {
        return new DynamicBatcher("test", maxBatch, maxDelayMs, workers, 1000, samples -> {
            batches.add(samples.size());
            return samples.stream().map(s -> new float[] {s[0] * 2}).toArray(float[][]::new);
        }, (size, nanos) -> { });
    }

    private static List<float[]> rows(float... values) {
        List<float[]> rows = new java.util.ArrayList<>();
        for (float v : values) rows.add(new float[] {v});
        return rows;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} worker(s)")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
    void rowsThatFillTheBatchWakeTheWorkerBeforeItsDelayIsOver(int workers) throws Exception {
        try (DynamicBatcher b = batcher(4, 10_000, workers)) {
            // five times over, as the idle workers woken beside the waiting one race it for the rows (they once won)
            for (int round = 1; round <= 5; round++) {
                long start = System.nanoTime();
                // two rows at once: a worker expects companions and waits up to 10 s for two more
                CompletableFuture<List<DynamicBatcher.Answer>> first = b.submit("a", rows(1, 2));
                Thread.sleep(100);
                CompletableFuture<List<DynamicBatcher.Answer>> second = b.submit("b", rows(3, 4));
                List<DynamicBatcher.Answer> one = first.get(5, TimeUnit.SECONDS);
                List<DynamicBatcher.Answer> two = second.get(5, TimeUnit.SECONDS);
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "answered when the batch was full, not at the deadline");
                assertEquals(java.util.Collections.nCopies(round, 4), batches, "one batch of the four rows each round");
                assertArrayEquals(new float[] {2}, one.get(0).output());
                assertArrayEquals(new float[] {8}, two.get(1).output());
                assertEquals(4, two.get(0).batchSize());
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} worker(s)")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
    void aRequestThatOvershootsTheRoomStillFillsTheWaitingBatch(int workers) throws Exception {
        try (DynamicBatcher b = batcher(4, 1_500, workers)) {
            for (int round = 1; round <= 3; round++) {
                batches.clear();
                CompletableFuture<List<DynamicBatcher.Answer>> first = b.submit("a", rows(1, 2));
                Thread.sleep(100);
                long start = System.nanoTime();
                // three rows where two fit: two fill the waiting batch, whichever worker takes the lock first
                CompletableFuture<List<DynamicBatcher.Answer>> second = b.submit("b", rows(3, 4, 5));
                first.get(5, TimeUnit.SECONDS);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited < 1_000, "the first request's batch filled at once, not at its 1.5 s deadline: " + waited + " ms");
                assertEquals(4, batches.get(0), "the first batch is full: " + batches);
                assertEquals(3, second.get(10, TimeUnit.SECONDS).size());
            }
        }
    }

    @Test
    void rowsThatDoNotFillItWaitForTheDelayAndRunTogether() throws Exception {
        try (DynamicBatcher b = batcher(8, 400)) {
            long start = System.nanoTime();
            CompletableFuture<List<DynamicBatcher.Answer>> first = b.submit("a", rows(1, 2));
            Thread.sleep(50);
            CompletableFuture<List<DynamicBatcher.Answer>> second = b.submit("a", rows(3));
            second.get(5, TimeUnit.SECONDS);
            first.get(5, TimeUnit.SECONDS);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 350, "the batch had room: the worker waited out its delay (" + waited + " ms)");
            assertEquals(List.of(3), batches, "the late row joined the batch when the delay was over");
        }
    }

    @Test
    void anIdleWorkerTakesALoneRowAtOnce() throws Exception {
        try (DynamicBatcher b = batcher(8, 10_000)) {
            long start = System.nanoTime();
            b.submit("a", rows(5)).get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "no delay for one row with no traffic before it");
            assertEquals(List.of(1), batches);
        }
    }
}
