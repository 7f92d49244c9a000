package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Large bodies take turns at being decoded; small ones never wait; a body that cannot get its turn is a 503. */
class DecodeBudgetTest {
    private static final int MB = 1 << 20;

    @Test
    void largeBodiesTakeTurnsAndSmallOnesPassAlongside() throws Exception {
        DecodeBudget budget = new DecodeBudget(3 * MB, 200);
        CountDownLatch decoding = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        // a 2 MB body being decoded on another thread, holding its share until told to finish
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> budget.around(new byte[2 * MB], () -> {
            decoding.countDown();
            await(finish);
            return CompletableFuture.completedFuture("first");
        }).join());
        assertTrue(decoding.await(10, TimeUnit.SECONDS));
        assertEquals(2 * MB, budget.decoding());

        // another 2 MB body does not fit beside it: refused after the wait, as a 503 with Retry-After
        long started = System.nanoTime();
        CompletableFuture<String> second = budget.around(new byte[2 * MB], () -> CompletableFuture.completedFuture("second"));
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        ApiError busy = (ApiError) assertThrowsCompletion(second);
        assertEquals(503, busy.status());
        assertEquals("server_busy", busy.code());
        assertTrue(waitedMs >= 150, "waited " + waitedMs + " ms for its turn");
        // a 1 MB body fits beside it, and a small body does not count at all
        assertEquals("third", budget.around(new byte[MB], () -> CompletableFuture.completedFuture("third")).join());
        assertEquals("small", budget.around(new byte[DecodeBudget.SMALL - 1],
                () -> CompletableFuture.completedFuture("small")).join());

        finish.countDown();
        assertEquals("first", first.get(10, TimeUnit.SECONDS));
        assertEquals(0, budget.decoding());
        // the share comes back when the decode throws, too
        CompletableFuture<String> failed = CompletableFuture.supplyAsync(() -> budget.<String>around(new byte[3 * MB], () -> {
            throw new ApiError(400, "invalid_json", "no");
        }).join());
        assertEquals(400, ((ApiError) assertThrowsCompletion(failed)).status());
        assertEquals(0, budget.decoding());
        assertEquals("whole", budget.around(new byte[3 * MB], () -> CompletableFuture.completedFuture("whole")).join());
    }

    private static Throwable assertThrowsCompletion(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got " + future.join());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
