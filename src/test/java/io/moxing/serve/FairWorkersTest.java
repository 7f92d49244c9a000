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
        assertEquals(3, workers.alone(), "and from a tenant alone");
        // alone, a tenant leaves a worker free: a tenant that arrives after a quiet minute starts at once
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger lonely = new AtomicInteger();
        AtomicInteger lonelyMost = new AtomicInteger();
        List<CompletableFuture<String>> alone = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            alone.add(workers.submit("first", () -> {
                lonelyMost.accumulateAndGet(lonely.incrementAndGet(), Math::max);
                await(hold);
                lonely.decrementAndGet();
                return "alone";
            }));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lonely.get() < 3 && System.nanoTime() < until) Thread.sleep(5);
        Thread.sleep(100);
        assertEquals(3, lonely.get(), "a tenant alone runs all workers but one");
        long arrived = System.nanoTime();
        assertEquals("first byte", workers.submit("newcomer", () -> "first byte").get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - arrived < TimeUnit.SECONDS.toNanos(2), "the newcomer waited for a long text");
        hold.countDown();
        for (CompletableFuture<String> f : alone) assertEquals("alone", f.get(10, TimeUnit.SECONDS));
        assertEquals(3, lonelyMost.get());
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
    void fewerThanFourWorkersAreAllALoneTenantsAndAnOpenServersAreAllItsOwn() throws Exception {
        assertEquals(2, new FairWorkers(2, 10, "test-writer").alone());
        allAtOnce(new FairWorkers(2, 10, "test-writer"), "only", 2);
        allAtOnce(new FairWorkers(4, 10, "test-writer"), FairWorkers.OPEN, 4);
    }

    /** {@code n} tasks of {@code tenant} that finish only once all of them run together. */
    private static void allAtOnce(FairWorkers workers, String tenant, int n) throws Exception {
        CountDownLatch together = new CountDownLatch(n);
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(workers.submit(tenant, () -> {
                together.countDown();
                await(together);
                return "together";
            }));
        }
        for (CompletableFuture<String> f : all) assertEquals("together", f.get(30, TimeUnit.SECONDS));
        workers.shutdown();
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
