package io.moxing.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A tenant that sends many long texts cannot take every worker: another tenant's text starts at once, and its
 * queued work is taken in turn with the first tenant's rather than after it.
 */
class FairWorkersTest {
    @Test
    void aTenantWithManyLongTextsLeavesAWorkerForAnother() throws Exception {
        FairWorkers workers = new FairWorkers(4, 100, "test-writer");
        assertEquals(3, workers.perTenant(), "four workers keep one back from any one tenant");
        // alone, a tenant uses every worker
        CountDownLatch together = new CountDownLatch(4);
        List<CompletableFuture<String>> alone = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            alone.add(workers.submit("other", () -> {
                together.countDown();
                await(together);
                return "alone";
            }));
        }
        for (CompletableFuture<String> f : alone) assertEquals("alone", f.get(10, TimeUnit.SECONDS));
        // once another tenant is about, one worker is kept back from each
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<String>> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flood.add(workers.submit("flood", () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                await(release);
                running.decrementAndGet();
                return "long";
            }));
        }
        // the flood holds three workers, and the fourth waits for someone else
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running.get() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(100);
        assertEquals(3, running.get());
        long started = System.nanoTime();
        assertEquals("short", workers.submit("other", () -> "short").get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "the other tenant waited for a long text");
        assertEquals(17, workers.queued());

        release.countDown();
        for (CompletableFuture<String> f : flood) assertEquals("long", f.get(10, TimeUnit.SECONDS));
        assertEquals(3, most.get(), "never more than its share at once");
        assertEquals(0, workers.queued());
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        assertNull(workers.submit("other", () -> "late"), "closed");
    }

    @Test
    void aTenantsLaneIsBoundedAndTheOthersAreNot() throws Exception {
        FairWorkers workers = new FairWorkers(1, 2, "test-writer");
        assertEquals(1, workers.perTenant(), "one worker has nothing to keep back");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> first = workers.submit("a", () -> {
            started.countDown();
            await(release);
            return "first";
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        CompletableFuture<String> a2 = workers.submit("a", () -> "a2");
        CompletableFuture<String> a3 = workers.submit("a", () -> "a3");
        assertNull(workers.submit("a", () -> "a4"), "a's lane holds two");
        CompletableFuture<String> b = workers.submit("b", () -> "b");
        assertTrue(b != null, "b has a lane of its own");
        // in turn: a2 (a's lane was first), then b, then a3
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        a2.thenAccept(order::add);
        b.thenAccept(order::add);
        a3.thenAccept(order::add);
        release.countDown();
        assertEquals("first", first.get(5, TimeUnit.SECONDS));
        CompletableFuture.allOf(a2, a3, b).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("a2", "b", "a3"), order);
        workers.shutdown();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
