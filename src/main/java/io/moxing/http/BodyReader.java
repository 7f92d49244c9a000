package io.moxing.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads request bodies for the inference routes without letting a client make the server hold memory,
 * threads or time it did not grant:
 * <ul>
 *   <li>the size limit is counted while bytes arrive, whatever the transfer encoding (a chunked body has no
 *       length to check up front), so an oversized body is refused after {@code maxBodyBytes}, not parsed;</li>
 *   <li>a body that is not there yet is read asynchronously: no thread waits for a slow client, and a body
 *       that trickles in below {@code minBodyBytesPerSecond} (after its first second) or goes silent for
 *       {@code bodyIdleMs} is cut off with 408;</li>
 *   <li>all bodies being read share one buffer budget, so many concurrent uploads cannot exhaust the heap:
 *       past it a request is refused with 503 and Retry-After.</li>
 * </ul>
 * It runs after the caller's key and rate limit have been checked, so only admitted requests get this far.
 */
final class BodyReader implements AutoCloseable {
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final ServeOptions options;
    private final AtomicLong buffered = new AtomicLong();
    private final Set<Upload> slow = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "body-pacing");
        t.setDaemon(true);
        return t;
    });

    BodyReader(ServeOptions options) {
        this.options = options;
        sweeper.scheduleWithFixedDelay(this::cutOffSlowBodies, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Bytes of bodies being read now (what the budget counts). */
    long buffered() {
        return buffered.get();
    }

    /**
     * The whole body. The servlet request must be in async mode (inside {@code ctx.future}). Completes
     * exceptionally with an {@link ApiError}: 413 over the size limit, 408 too slow, 400 cut short or
     * malformed on the wire, 503 when the buffer budget is spent.
     */
    CompletableFuture<byte[]> read(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > options.maxBodyBytes()) return CompletableFuture.failedFuture(tooLarge());
        Upload upload = new Upload(declared);
        if (!upload.reserve(Math.max(0, declared))) return CompletableFuture.failedFuture(busy());
        try {
            ServletInputStream in = request.getInputStream();
            if (declared >= 0 && in.available() >= declared) {
                // the common case: the whole body came with the headers; read it here, in one piece, no thread hop
                byte[] body = in.readNBytes((int) declared);
                upload.release();
                return CompletableFuture.completedFuture(body);
            }
            upload.listen(in);
        } catch (IOException | RuntimeException e) {
            upload.fail(e);
        }
        return upload.result;
    }

    private ApiError tooLarge() {
        return tooLarge(options.maxBodyBytes());
    }

    private static ApiError tooLarge(long maxBytes) {
        return new ApiError(413, "body_too_large", "the body is over the limit of " + maxBytes + " bytes");
    }

    /**
     * The body of a request on an administrative route, read on the calling thread (its caller has already
     * proved who it is) but still counted while it arrives, so a chunked body cannot pass the limit.
     */
    static byte[] readBlocking(HttpServletRequest request, long maxBytes) {
        if (request.getContentLengthLong() > maxBytes) throw tooLarge(maxBytes);
        try (var in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) throw tooLarge(maxBytes);
            return body;
        } catch (IOException e) {
            throw new ApiError(400, "unreadable_body", "the body was cut short or is malformed on the wire");
        }
    }

    private static ApiError busy() {
        return new ApiError(503, "server_busy", "too many request bodies are being received right now; retry after 1 second");
    }

    private void cutOffSlowBodies() {
        long now = System.nanoTime();
        for (Upload u : slow) {
            long elapsed = now - u.started;
            boolean idle = now - u.lastData > TimeUnit.MILLISECONDS.toNanos(options.bodyIdleMs());
            boolean tooSlow = elapsed > GRACE_NANOS
                    && u.received() < options.minBodyBytesPerSecond() * (double) elapsed / 1e9;
            if (idle || tooSlow) {
                u.fail(new ApiError(408, "body_too_slow", "the body arrived " + (idle ? "with a pause over "
                        + options.bodyIdleMs() + " ms" : "slower than " + options.minBodyBytesPerSecond() + " bytes/s")
                        + "; send it at once"));
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** One body being received: its bytes, the budget it holds, and its outcome. */
    private final class Upload implements ReadListener {
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final long declared;
        /**
         * Made when the body is read in pieces: its declared length at once (a 10 MB body grown by doubling left
         * 20 MB of garbage behind, and a copy at the end), or growing by doubling when chunked.
         */
        private byte[] data;
        private int size;
        final long started = System.nanoTime();
        volatile long lastData = started;
        private long reserved;
        private ServletInputStream in;

        Upload(long declared) {
            this.declared = declared;
        }

        synchronized long received() {
            return size;
        }

        /** Takes {@code total} bytes of the budget for this body (what it holds grows with chunked bodies). */
        synchronized boolean reserve(long total) {
            long more = total - reserved;
            if (more <= 0) return true;
            if (buffered.addAndGet(more) > options.bodyBufferBytes()) {
                buffered.addAndGet(-more);
                return false;
            }
            reserved = total;
            return true;
        }

        void listen(ServletInputStream stream) {
            data = new byte[declared >= 0 ? (int) declared : 16 * 1024];
            in = stream;
            slow.add(this);
            stream.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!result.isDone() && in.isReady()) {
                if (!readOnce(in)) return;
            }
        }

        /** One read; false at the end of the body or when it failed. */
        private synchronized boolean readOnce(ServletInputStream stream) throws IOException {
            if (size == data.length) {
                // all that was declared, or all the limit allows: only the end may follow
                if (declared >= 0 || size >= options.maxBodyBytes()) {
                    if (stream.read() < 0) return false;
                    fail(declared >= 0 ? new ApiError(400, "unreadable_body", "the body is longer than its Content-Length")
                            : tooLarge());
                    return false;
                }
                // chunked: grow within the limit, which is checked on what arrives
                data = Arrays.copyOf(data, (int) Math.min(options.maxBodyBytes(), 2L * data.length));
            }
            int n = stream.read(data, size, data.length - size);
            if (n < 0) return false;
            lastData = System.nanoTime();
            if (!reserve(size + n)) {
                fail(busy());
                return false;
            }
            size += n;
            return true;
        }

        @Override
        public void onAllDataRead() {
            finish();
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }

        synchronized void finish() {
            slow.remove(this);
            release();
            result.complete(size == data.length ? data : Arrays.copyOf(data, size));
        }

        synchronized void fail(Throwable t) {
            slow.remove(this);
            release();
            if (result.isDone()) return;
            result.completeExceptionally(t instanceof ApiError e ? e
                    : new ApiError(400, "unreadable_body", "the body was cut short or is malformed on the wire ("
                    + t.getClass().getSimpleName() + ")"));
        }

        synchronized void release() {
            buffered.addAndGet(-reserved);
            reserved = 0;
        }
    }
}
