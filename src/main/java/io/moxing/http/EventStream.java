package io.moxing.http;

import io.moxing.core.Json;
import io.moxing.http.InferenceCore.Admitted;
import io.moxing.http.InferenceCore.Outcome;
import io.moxing.http.InferenceCore.Served;
import io.moxing.http.InferenceCore.StreamedWork;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.HttpOutput;
import org.eclipse.jetty.server.Request;

/**
 * Answers as Server-Sent Events while the answer is made: the work (on the target's writer) queues its events
 * and never waits for the client; they go out through the servlet's non-blocking output whenever the connection
 * takes them, so an open stream holds no thread of its own (a thread per stream was 354 threads under a flood of
 * 300 streams, each waking every 20 ms while queued). The stream ends with {@code data: [DONE]}. A write that fails
 * means the client has gone: the sink says so, the work stops before its next token, and the stream is metered with
 * the tokens whose events were written to the connection (docs/DECISIONS.md). A failure of the work after the first
 * event is told as an {"error": ...} event.
 */
final class EventStream {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    /**
     * A stream's connection sends from a buffer of this size (the kernel doubles it) rather than the kernel's own
     * choice, which grows to megabytes: what the buffers took counts as sent, and a client that stops reading was
     * charged for a whole 2,048-token text its buffers swallowed. Events are ~150 bytes and come at most a few
     * thousand a second, far below what 32 KB a round trip carries.
     */
    private static final int SEND_BUFFER_BYTES = 16 * 1024;

    /** Streams {@code work}'s answer; the future completes (with {@link Outcome#STREAMED}) once it ended and was metered. */
    CompletableFuture<Outcome> stream(HttpCall call, InferenceCore core, Admitted request, StreamedWork work) {
        ServletOutputStream output;
        try {
            output = call.res().getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String requestId = io.moxing.serve.RequestIds.next();
        Relay relay = new Relay(core.keyLive(request));
        CompletableFuture<Served> working = work.start(requestId, relay);
        if (working == null) {
            throw new ApiError(503, "overloaded", "the queue of " + request.target().target().deployment()
                    + " is full; retry after 1 second", 1);
        }
        call.status(200);
        call.res().setContentType("text/event-stream; charset=utf-8");
        call.res().setHeader("Cache-Control", "no-cache");
        Runnable widen = narrowSendBuffer(call.req());
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        // the buffer is widened before the response completes and the connection may take its next request; the
        // work stops at its next token once the client is gone, and the record waits for it
        relay.ended.thenRun(widen).thenCompose(v -> working.handle((served, failure) -> {
                    if (failure != null) {
                        System.err.println("streamed inference failed for " + request.target().target().deployment() + ": "
                                + InferenceCore.unwrap(failure));
                    }
                    return core.meterStream(request, requestId, served, relay.tokensCharged(), relay.delivered, failure);
                }))
                .thenCompose(metered -> metered)
                .whenComplete((v, e) -> done.complete(Outcome.STREAMED));
        relay.attach(output, working);
        return done;
    }

    /**
     * Gives the stream's connection a small send buffer ({@link #SEND_BUFFER_BYTES}) until the stream has ended; returns
     * what widens it again, as far as the system allows: the connection may carry large answers next (an embedding of
     * many texts), and across a network a 32 KB buffer would carry them 32 KB a round trip. A connection whose buffer
     * cannot be set keeps its own.
     */
    private static Runnable narrowSendBuffer(HttpServletRequest req) {
        Request base = Request.getBaseRequest(req);
        EndPoint endPoint = base == null ? null : base.getHttpChannel().getEndPoint();
        if (!(endPoint instanceof SocketChannelEndPoint socket)) return () -> {};
        SocketChannel channel = socket.getChannel();
        if (!setSendBuffer(channel, SEND_BUFFER_BYTES)) return () -> {};
        // the kernel caps this at its net.core.wmem_max; its own growth (autotuning) ends once a size was set
        return () -> setSendBuffer(channel, Integer.MAX_VALUE);
    }

    private static boolean setSendBuffer(SocketChannel channel, int bytes) {
        try {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // closed: its next write fails anyway
        }
    }

    /**
     * One stream's events on their way out, and what of them reached the connection. Writes go out only when the
     * output says it is ready; a write it could not finish at once is finished by the container, which then calls
     * {@link #onWritePossible}. Events wait in the queue only while the connection's buffers are full. The text is cut
     * (the work is told the client has gone, and stops) once
     * <ul>
     *   <li>{@value #STALLED_QUEUED} events wait and no write has started or finished for {@value #STALLED_MS} ms (a
     *       write carries about a send buffer's worth at most): the client has stopped reading. A queue of 1,024 before
     *       that let a client that never reads have the model write a thousand tokens a stream it was not charged for;</li>
     *   <li>or {@value #MOST_QUEUED} events wait: the client reads, but slower than the text is written. A client
     *       across an ocean reads 32 KB a round trip through the small send buffer, ~100 KB/s, less than a fast
     *       model's tokens with their log-probabilities; its writes keep starting and finishing, so it is not taken
     *       as stalled.</li>
     * </ul>
     * A cut text is charged for what was written for it ({@link #tokensCharged}) and ends with a {@code client_too_slow}
     * event; a client that closed its connection is charged for what was sent. A text whose key is revoked (or
     * expires) while it is written stops at its next token once the server has read the keys again (every poll, about
     * a second); it ends with an {@code invalid_api_key} event and is charged for what was sent.
     */
    static final class Relay implements InferenceCore.EventSink, WriteListener {
        static final int MOST_QUEUED = 1024;
        static final int STALLED_QUEUED = 64;
        static final long STALLED_MS = 1000;

        private record Event(String data, int tokensOut) {}

        /** Whether the request's key still works: a look at the server's snapshot of keys, no I/O, asked every token. */
        private final BooleanSupplier keyLive;
        /** Whether the work was stopped because the request's key was revoked (or expired) while it was written. */
        private volatile boolean keyEnded;

        private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        /** Completes once the end was written out, or the client has gone. */
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private volatile boolean gone;
        private volatile int tokensSent;
        /** The completion tokens of the last event the work queued. */
        private volatile int tokensQueued;
        /** Whether a token, or the end, reached the connection: a stream that delivered neither is recorded 499, uncharged. */
        private volatile boolean delivered;
        /** Whether the work was stopped because the client did not read: the text was cut, and the end says so. */
        private volatile boolean cut;
        private volatile boolean attached;
        /** When a write last started or finished (or the stream was attached), by {@link System#nanoTime}. */
        private volatile long lastProgress;
        /** Set once by {@link #attach}; guarded by this relay from then on, as is everything below. */
        private ServletOutputStream out;
        private CompletableFuture<Served> working;
        /** The tokens the client has seen once the write under way is finished; -1: none under way. */
        private int writing = -1;
        private boolean endWritten;
        /** The work has begun and the answer's headers have not gone out. */
        private boolean headersDue;

        Relay(BooleanSupplier keyLive) {
            this.keyLive = keyLive;
        }

        @Override
        public boolean send(String data, int tokensOut) {
            if (!open()) return false;
            queue.add(new Event(data, tokensOut));
            queued.incrementAndGet();
            tokensQueued = tokensOut;
            drain();
            return true;
        }

        /**
         * The completion tokens to charge: those sent; for a text cut because its client did not read, those written
         * for it, queued ones included (they follow it if it reads on). The work a client that does not read makes the
         * model do is its own: without this a client that held a silent stream open had the model write a second's
         * tokens a stream for nothing.
         */
        int tokensCharged() {
            return cut ? Math.max(tokensSent, tokensQueued) : tokensSent;
        }

        /**
         * Sends the answer's headers as the work begins, before its first token: TCP takes the first write into a
         * connection its client has closed without complaint (the refusal comes back after it), so a client that left
         * while its request waited for a writer was charged the first token it never saw. With the headers out first,
         * the refusal comes back while the model reads the prompt (wherever that takes longer than a round trip, as on
         * loopback), and the first token finds the connection refused.
         */
        @Override
        public void begin() {
            synchronized (this) {
                headersDue = true;
            }
            drain();
        }

        @Override
        public boolean open() {
            // until the stream is attached nothing can be written, and a pause there (a collection) is not the client's
            if (gone || !attached) return !gone;
            if (keyEnded) return false;
            if (!keyLive.getAsBoolean()) {
                keyEnded = true;
                return false;
            }
            int waiting = queued.get();
            if (waiting < STALLED_QUEUED
                    || waiting < MOST_QUEUED && System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(STALLED_MS)) {
                return true;
            }
            // asked here or by a refused send: the work stops either way (it may hold tokens back and only ask)
            cut = true;
            return false;
        }

        /** Starts writing to {@code output} (asynchronous from here on) what {@code work} queues, until it is done. */
        void attach(ServletOutputStream output, CompletableFuture<Served> work) {
            synchronized (this) {
                // non-blocking before a send can write: a write in blocking mode would block the model's writer, and a
                // listener set during it fails. The container calls onWritePossible from its own threads, not in here.
                output.setWriteListener(this);
                out = output;
                working = work;
                lastProgress = System.nanoTime();
                attached = true;
            }
            drain(); // the work may have begun already
            work.whenComplete((served, failure) -> drain());
        }

        @Override
        public void onWritePossible() {
            drain();
        }

        @Override
        public void onError(Throwable failure) {
            leave();
        }

        /** Writes while the output takes writes: the queued events in one write, then the end once the work is done. */
        private synchronized void drain() {
            if (out == null || ended.isDone()) return;
            try {
                while (out.isReady()) {
                    // a write that failed leaves the output closed, and ready so that the next write throws
                    if (out instanceof HttpOutput jetty && jetty.isClosed()) {
                        leave();
                        return;
                    }
                    if (writing >= 0) {
                        // the last write is finished: its tokens reached the connection. A write without tokens (a
                        // chat's first chunk, an echoed prompt) does not make the stream delivered: a client that
                        // left while its request waited would take it without complaint, as it would the first token
                        tokensSent = writing;
                        if (writing > 0) delivered = true;
                        lastProgress = System.nanoTime();
                        writing = -1;
                    }
                    if (endWritten) {
                        delivered = true; // the end went out: a text of no tokens was answered too
                        ended.complete(null);
                        return;
                    }
                    if (headersDue) {
                        headersDue = false;
                        if (queue.isEmpty()) {
                            out.flush(); // commits the response: its headers, no event yet
                            continue;
                        }
                    }
                    if (!queue.isEmpty()) {
                        // one write of what waits, up to a send buffer's worth: on a slow link a write of the whole
                        // queue would take longer with every round and read as a stall
                        StringBuilder text = new StringBuilder();
                        int tokens = 0;
                        for (Event e; text.length() < SEND_BUFFER_BYTES && (e = queue.poll()) != null; ) {
                            queued.decrementAndGet();
                            text.append(event(e.data()));
                            tokens = e.tokensOut();
                        }
                        writing = tokens;
                        lastProgress = System.nanoTime();
                        writeAndFlush(text.toString().getBytes(StandardCharsets.UTF_8));
                    } else if (working.isDone()) {
                        endWritten = true;
                        writeAndFlush(working.isCompletedExceptionally() ? errorEvent(500, "inference_failed",
                                "the model failed while writing; it has been logged")
                                : cut ? errorEvent(408, "client_too_slow", "the text was cut after " + tokensSent
                                + " tokens: the client did not read them as fast as they were written")
                                : keyEnded ? errorEvent(401, "invalid_api_key", "the text was cut after " + tokensSent
                                + " tokens: its API key was revoked or expired while it was written")
                                : DONE);
                    } else {
                        return;
                    }
                }
            } catch (IOException | IllegalStateException e) {
                // the connection failed or closed under the write: the client has gone
                leave();
            }
        }

        private static byte[] errorEvent(int status, String code, String message) {
            return event(Json.line(ApiError.body(status, code, message, null))).getBytes(StandardCharsets.UTF_8);
        }

        /** One Server-Sent Event of {@code data}. */
        private static String event(String data) {
            return "data: " + data + "\n\n";
        }

        /** A small write would wait in the output's buffer: the flush sends it, once the output takes one more call. */
        private void writeAndFlush(byte[] bytes) throws IOException {
            out.write(bytes);
            if (out.isReady()) out.flush();
        }

        private void leave() {
            gone = true;
            ended.complete(null);
        }
    }
}
