package io.moxing.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bytes of request bodies being parsed and decoded at once, over all requests. {@link BodyReader} bounds the bytes
 * of bodies while they arrive, but a parse makes more of them: a JSON array of numbers grows three to five times
 * its text as a tree, so thirty 10 MB bodies parsed together took the heap up by 1.2 GB. Large bodies therefore take
 * turns: each holds its size of this budget while it becomes work (fairly, first come first served) and one that
 * cannot get it within {@code waitMs} is refused with 503 and Retry-After. A body under {@value #SMALL} bytes
 * (every ordinary request) does not count: it cannot grow far, and its turn must not wait behind a large one's.
 */
final class DecodeBudget {
    static final int SMALL = 64 * 1024;
    private final Semaphore bytes;
    private final int capacity;
    private final long waitMs;

    /** @param capacity bytes of large bodies decoded at once; at least the largest body, which must always fit alone */
    DecodeBudget(long capacity, long waitMs) {
        this.capacity = (int) Math.min(Integer.MAX_VALUE, capacity);
        this.bytes = new Semaphore(this.capacity, true);
        this.waitMs = waitMs;
    }

    /** The budget a server of these options uses: an eighth of the body buffer, and never less than one body. */
    static DecodeBudget of(ServeOptions options) {
        return new DecodeBudget(Math.max(options.maxBodyBytes(), options.bodyBufferBytes() / 8), 1000);
    }

    /** Runs {@code decode} (which parses {@code body} and starts its work) holding the body's share of the budget. */
    <T> CompletableFuture<T> around(byte[] body, Supplier<CompletableFuture<T>> decode) {
        int share = body.length < SMALL ? 0 : Math.min(body.length, capacity);
        try {
            if (share > 0 && !bytes.tryAcquire(share, waitMs, TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(busy());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(busy());
        }
        try {
            return decode.get();
        } finally {
            if (share > 0) bytes.release(share);
        }
    }

    /** Bytes of large bodies being decoded now. */
    long decoding() {
        return capacity - bytes.availablePermits();
    }

    private static ApiError busy() {
        return new ApiError(503, "server_busy", "too many large request bodies are being decoded right now; retry after 1"
                + " second", 1);
    }
}
