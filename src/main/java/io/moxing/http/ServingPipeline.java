package io.moxing.http;

import io.moxing.billing.Admission;
import io.moxing.billing.Caller;
import io.moxing.http.InferenceCore.Admitted;
import io.moxing.http.InferenceCore.Outcome;
import io.moxing.http.InferenceCore.StreamedWork;
import io.moxing.http.InferenceCore.Work;
import io.moxing.serve.LiveTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP inference request from its headers to its answer, in the order that keeps a hostile client from
 * costing more than it is allowed: the key is settled on the headers, and where the path names the model so
 * are the model and the admission ({@link InferenceCore}); only then is the body read (bounded, paced, see
 * {@link BodyReader}) and decoded. OpenAI's routes name the model in the body, so theirs is chosen and admitted
 * once the body is read. The core runs and meters the work, and the answer (or the error, with its Retry-After)
 * is written; a streamed answer goes out through an {@link EventStream} as it is made.
 */
final class ServingPipeline {
    /** Turns a body into work for a target, or throws an {@link ApiError} naming what is wrong. */
    interface Decoder {
        Work decode(LiveTarget target, String tenant, byte[] body);
    }

    private final InferenceCore core;
    private final BodyReader bodies;
    private final DecodeBudget decoding;
    private final AtomicInteger inFlight;
    private final EventStream streams;
    /** Null when the server runs open. */
    private final BillingGate gate;

    ServingPipeline(InferenceCore core, BodyReader bodies, DecodeBudget decoding, AtomicInteger inFlight, EventStream streams,
                    BillingGate gate) {
        this.core = core;
        this.bodies = bodies;
        this.decoding = decoding;
        this.inFlight = inFlight;
        this.streams = streams;
        this.gate = gate;
    }

    /**
     * Serves a request to deployment {@code name} (a version when given, else {@code ?alias=} or the traffic split); its
     * answer is written when {@code later} runs the work.
     */
    void serve(HttpCall call, String name, String version, Decoder decoder, HttpCall.Later later) {
        Exchange x = new Exchange(call, core.caller(call.header("Authorization")));
        x.admit(name, version, call.queryParam("alias"));
        inFlight.incrementAndGet();
        later.answer(() -> bodies.read(call.req()).thenCompose(body -> decoding.around(body, () -> x.run(decoder, body)))
                .handle(x::answer));
    }

    /**
     * Serves a request whose body names the deployment ({@code name} reads it, or throws a 400). The caller's
     * rate-limit token and quota are taken on the headers all the same, before the body is read.
     */
    void serveNamedInBody(HttpCall call, Function<byte[], String> name, Decoder decoder, HttpCall.Later later) {
        Exchange x = new Exchange(call, core.caller(call.header("Authorization")));
        x.admitEarly();
        inFlight.incrementAndGet();
        later.answer(() -> bodies.read(call.req()).thenCompose(body -> decoding.around(body, () -> {
            x.admit(name.apply(body), null, null);
            return x.run(decoder, body);
        })).handle(x::answer));
    }

    /** One request on its way: the caller, then the target it holds and its admission. */
    private final class Exchange {
        private final HttpCall call;
        private final Caller caller;
        private LiveTarget target;
        private Admitted request;
        /** The token and quota taken on the headers, before the body named the target; null when not taken so (or open). */
        private Admission.Ticket early;

        Exchange(HttpCall call, Caller caller) {
            this.call = call;
            this.caller = caller;
        }

        void admitEarly() {
            try {
                early = core.admitEarly(caller);
            } finally {
                if (caller != null) gate.rateHeaders(caller, call::header);
            }
        }

        void admit(String name, String version, String alias) {
            LiveTarget held = core.hold(name, version, alias, caller);
            call.attribute(ModelServer.MODEL_ATTRIBUTE, held.target().deployment());
            try {
                // an open server takes no token either way
                request = early != null ? core.admit(caller, held, call.header("Idempotency-Key"), early)
                        : core.admit(caller, held, call.header("Idempotency-Key"));
            } catch (RuntimeException e) {
                held.release();
                throw e;
            } finally {
                if (caller != null) gate.rateHeaders(caller, call::header);
            }
            target = held;
        }

        CompletableFuture<Outcome> run(Decoder decoder, byte[] body) {
            long decodeNanos = System.nanoTime();
            Work work = decoder.decode(target, request.lane(), body);
            decodeNanos = System.nanoTime() - decodeNanos;
            if (work instanceof StreamedWork streamed) {
                core.admitStream(request, streamed);
                rateHeaders();
                return streams.stream(call, core, request, streamed);
            }
            CompletableFuture<Outcome> running = core.run(request, work, decodeNanos, () -> fingerprint(call, body));
            rateHeaders();
            return running;
        }

        /** Where the key's bucket stands once the body said what the request takes (its predictions or tokens). */
        private void rateHeaders() {
            if (caller != null) gate.rateHeaders(caller, call::header);
        }

        Void answer(Outcome outcome, Throwable failure) {
            try {
                if (failure == null) {
                    if (outcome.answer() == null) return null; // streamed: already sent
                    if (outcome.replayed()) call.header("Idempotent-Replayed", "true");
                    outcome.answer().headers().forEach(call::header);
                    call.status(200);
                    call.answerType(outcome.answer().contentType());
                    ModelServer.send(call, outcome.answer().bytes());
                } else {
                    // refused before it was admitted whole (its body unreadable, its model unknown): the quota comes back
                    if (request == null && early != null) gate.release(early);
                    ApiError error = request == null ? ModelServer.refusal(InferenceCore.unwrap(failure), call.path())
                            : core.failed(request, failure);
                    // a body left unread (too large, too slow) cannot be skipped safely: close after the answer
                    if (error.status() == 408 || error.status() == 413) call.header("Connection", "close");
                    ModelServer.error(call, error);
                }
            } finally {
                inFlight.decrementAndGet();
                if (target != null) target.release();
            }
            return null;
        }
    }

    /**
     * What makes two requests the same request: method, path with the alias asked for, the headers that say how to
     * read the body (its media type, a v2 binary header's length: the same bytes read another way are another
     * request), and the body.
     */
    private static String fingerprint(HttpCall call, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String alias = call.queryParam("alias");
            String type = call.contentType() == null ? "" : call.contentType().toLowerCase(java.util.Locale.ROOT);
            String headerLength = call.header(V2Codec.HEADER_LENGTH);
            sha.update((call.method() + " " + call.path() + (alias == null ? "" : "?alias=" + alias) + "\n" + type + "\n"
                    + (headerLength == null ? "" : headerLength.strip()) + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
