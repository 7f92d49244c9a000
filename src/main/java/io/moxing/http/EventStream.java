package io.moxing.http;

import io.javalin.http.Context;
import io.moxing.core.Json;
import io.moxing.http.InferenceCore.Admitted;
import io.moxing.http.InferenceCore.Outcome;
import io.moxing.http.InferenceCore.Served;
import io.moxing.http.InferenceCore.StreamedWork;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers as Server-Sent Events while the answer is made: the work (on the target's writer) queues its events
 * and never waits for the client; a relay thread per open stream writes them as the connection takes them and
 * ends with {@code data: [DONE]}. A write that fails means the client has gone: the sink says so, the work
 * stops before its next token, and the stream is metered with the tokens the client was actually sent
 * (docs/DECISIONS.md). A failure of the work after the first event is told as an {"error": ...} event.
 */
final class EventStream implements AutoCloseable {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    private final AtomicInteger names = new AtomicInteger();
    private final ExecutorService relays = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "event-stream-" + names.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Streams {@code work}'s answer; the future completes (with {@link Outcome#STREAMED}) once it ended and was metered. */
    CompletableFuture<Outcome> stream(Context ctx, InferenceCore core, Admitted request, StreamedWork work) {
        String requestId = io.moxing.serve.RequestIds.next();
        Relay relay = new Relay();
        CompletableFuture<Served> working = work.start(requestId, relay);
        if (working == null) {
            throw new ApiError(503, "overloaded", "the queue of " + request.target().target().deployment()
                    + " is full; retry after 1 second", 1);
        }
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        relays.execute(() -> {
            relay.pump(ctx.res(), working);
            // the work stops at its next token once the client is gone; the record waits for it
            working.handle((served, failure) -> {
                        if (failure != null) {
                            System.err.println("streamed inference failed for " + request.target().target().deployment() + ": "
                                    + InferenceCore.unwrap(failure));
                        }
                        return core.meterStream(request, requestId, served, relay.tokensSent,
                            relay.delivered, failure);
                    })
                    .thenCompose(metered -> metered)
                    .whenComplete((v, e) -> done.complete(Outcome.STREAMED));
        });
        return done;
    }

    /**
     * One stream's queue of events, and what of it reached the client. The queue is bounded: once a client stops
     * reading and its connection's buffers are full, the relay's write blocks, and the work would go on writing
     * tokens nobody reads into this queue without end; once {@value #MOST_QUEUED} events wait unsent, the work is
     * told the client is gone and stops, and the stream is metered with what was sent. (What the kernel's buffers
     * took counts as sent: on loopback they take a whole 2,048-token text.)
     */
    static final class Relay implements InferenceCore.EventSink {
        static final int MOST_QUEUED = 1024;

        private record Event(String data, int tokensOut) {}

        private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        private volatile boolean gone;
        private volatile int tokensSent;
        private volatile boolean delivered;

        @Override
        public boolean send(String data, int tokensOut) {
            if (gone || queue.size() >= MOST_QUEUED) return false;
            queue.add(new Event(data, tokensOut));
            return true;
        }

        @Override
        public boolean open() {
            return !gone && queue.size() < MOST_QUEUED;
        }

        /** Writes events until the work is done and its events are out, or the client has gone. */
        void pump(HttpServletResponse res, CompletableFuture<Served> working) {
            res.setStatus(200);
            res.setContentType("text/event-stream; charset=utf-8");
            res.setHeader("Cache-Control", "no-cache");
            try {
                OutputStream out = res.getOutputStream();
                java.util.List<Event> ready = new java.util.ArrayList<>();
                while (true) {
                    Event e = queue.poll(20, TimeUnit.MILLISECONDS);
                    if (e == null) {
                        // the work queues every event before it completes: done and empty means all were written
                        if (working.isDone() && queue.isEmpty()) break;
                        continue;
                    }
                    // what queued while the last write went out leaves in one write and one flush
                    ready.add(e);
                    queue.drainTo(ready);
                    StringBuilder text = new StringBuilder();
                    for (Event r : ready) text.append("data: ").append(r.data()).append("\n\n");
                    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    tokensSent = ready.get(ready.size() - 1).tokensOut();
                    delivered = true;
                    ready.clear();
                }
                if (working.isCompletedExceptionally()) {
                    out.write(("data: " + Json.line(ApiError.body(500, "inference_failed",
                            "the model failed while writing; it has been logged", null)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(DONE);
                }
                out.flush();
            } catch (IOException e) {
                gone = true;
            } catch (InterruptedException e) {
                gone = true;
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        relays.shutdownNow();
    }
}
