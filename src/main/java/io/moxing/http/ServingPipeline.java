package io.moxing.http;

import io.javalin.http.Context;
import io.moxing.billing.Admission;
import io.moxing.billing.Caller;
import io.moxing.billing.IdempotentEntry;
import io.moxing.billing.Refusal;
import io.moxing.billing.UsageRecord;
import io.moxing.serve.LiveTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One inference request from its headers to its answer, in the order that keeps a hostile client from
 * costing more than it is allowed: the key and the model are checked and the rate-limit token and quota
 * taken on the headers alone; only then is the body read (bounded, paced, see {@link BodyReader}) and
 * decoded; a request under an Idempotency-Key is matched against the earlier one; the work runs; the
 * usage record (with the kept answer, for keyed requests) is made durable; and only then is it answered.
 * A request that is refused or fails gives back its quota; one that fails on our side is recorded
 * uncharged.
 */
final class ServingPipeline {
    /** What a route makes of an admitted request's body: how many predictions it asks for, and the work. */
    interface Work {
        int rows();

        /** Starts the work; null when the target's queue cannot take it (503). */
        CompletableFuture<Served> start(String requestId);

        /** Whether the same request computes the same answer again (a sampled text does not). */
        boolean deterministic();

        static Work of(int rows, boolean deterministic, java.util.function.Function<String, CompletableFuture<Served>> start) {
            return new Work() {
                public int rows() {
                    return rows;
                }

                public CompletableFuture<Served> start(String requestId) {
                    return start.apply(requestId);
                }

                public boolean deterministic() {
                    return deterministic;
                }
            };
        }
    }

    /** Turns a body into work for a target, or throws an {@link ApiError} naming what is wrong. */
    interface Decoder {
        Work decode(LiveTarget target, byte[] body);
    }

    /**
     * What serving a request produced: the answer as sent and what the request used (predictions, tokens
     * in and out, model compute, the size of the batch it ran in), which is what metering charges.
     */
    record Served(Answer answer, int units, int tokensIn, int tokensOut, long computeNanos, int batchSize) {}

    /** An answer's bytes, media type and extra headers. */
    record Answer(byte[] body, String contentType, Map<String, String> headers) {
        static Answer json(Object body) {
            return new Answer(io.moxing.core.Json.bytes(body), "application/json", Map.of());
        }
    }

    /** A request whose caller, target and admission were settled on its headers. */
    private record Admitted(Caller caller, LiveTarget target, Admission.Ticket ticket, String idempotencyKey) {}

    private final BillingGate gate;
    private final BodyReader bodies;
    private final ServeOptions options;
    private final AtomicInteger inFlight;

    ServingPipeline(BillingGate gate, BodyReader bodies, ServeOptions options, AtomicInteger inFlight) {
        this.gate = gate;
        this.bodies = bodies;
        this.options = options;
        this.inFlight = inFlight;
    }

    /**
     * Serves a request for {@code target}, whose caller (null when the server runs open) has been
     * authenticated and authorised: admits it, then reads, decodes, runs, meters and answers it.
     */
    void serve(Context ctx, Caller caller, LiveTarget target, Decoder decoder) {
        String key = idempotencyKey(ctx);
        Admission.Ticket ticket = caller == null ? null : gate.admit(ctx, caller);
        Admitted request = new Admitted(caller, target, ticket, key);
        inFlight.incrementAndGet();
        ctx.future(() -> bodies.read(ctx.req())
                .thenCompose(body -> run(ctx, request, body, decoder))
                .handle((served, failure) -> {
                    try {
                        if (failure != null) fail(ctx, request, unwrap(failure));
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    return null;
                }));
    }

    private CompletableFuture<Void> run(Context ctx, Admitted request, byte[] body, Decoder decoder) {
        Work work = decoder.decode(request.target(), body);
        if (work.rows() > options.maxRequestRows()) {
            throw new ApiError(413, "too_many_rows", "the request holds " + work.rows() + " samples; this server takes at most "
                    + options.maxRequestRows() + " per request (--max-request-rows): split it");
        }
        if (request.caller() != null) gate.admitPredictions(ctx, request.caller(), work.rows());
        if (request.idempotencyKey() == null || request.caller() == null) {
            return compute(ctx, request, work, UUID.randomUUID().toString(), null);
        }
        String tenant = request.caller().tenant().id();
        String hash = fingerprint(ctx, body);
        IdempotentEntry earlier = gate.idempotency().begin(tenant, request.idempotencyKey(), hash);
        if (earlier == null) {
            try {
                return compute(ctx, request, work, UUID.randomUUID().toString(), hash)
                        .whenComplete((v, e) -> gate.idempotency().end(tenant, request.idempotencyKey()));
            } catch (RuntimeException e) {
                gate.idempotency().end(tenant, request.idempotencyKey());
                throw e;
            }
        }
        return replay(ctx, request, work, earlier);
    }

    /** Answers a retry as the first attempt was answered, without charging it again. */
    private CompletableFuture<Void> replay(Context ctx, Admitted request, Work work, IdempotentEntry earlier) {
        gate.release(request.ticket());
        ctx.header("Idempotent-Replayed", "true");
        if (earlier.answer() != null) {
            send(ctx, new Answer(earlier.answer().body(), earlier.answer().contentType(), Map.of()));
            return CompletableFuture.completedFuture(null);
        }
        if (!work.deterministic()) {
            throw new ApiError(422, "idempotent_answer_expired", "the answer given under this Idempotency-Key is no longer kept"
                    + " (answers are kept 24 hours) and this model's answer cannot be recomputed; send the request with a new key");
        }
        // the kept answer has been purged: a deterministic model computes the same answer again, uncharged
        CompletableFuture<Served> running = work.start(earlier.requestId());
        if (running == null) throw overloaded(ctx, request.target());
        return running.orTimeout(options.timeoutMs(), TimeUnit.MILLISECONDS).thenAccept(served -> send(ctx, served.answer()));
    }

    /** Runs the work, meters it (with the kept answer for a keyed request) and answers once that is durable. */
    private CompletableFuture<Void> compute(Context ctx, Admitted request, Work work, String requestId, String hash) {
        CompletableFuture<Served> running = work.start(requestId);
        if (running == null) throw overloaded(ctx, request.target());
        return running.orTimeout(options.timeoutMs(), TimeUnit.MILLISECONDS).thenCompose(served -> {
            if (request.caller() == null) {
                send(ctx, served.answer());
                return CompletableFuture.completedFuture(null);
            }
            UsageRecord.StoredAnswer kept = request.idempotencyKey() == null ? null
                    : new UsageRecord.StoredAnswer(served.answer().contentType(), served.answer().body());
            UsageRecord record = usage(request, requestId, served, 200, hash, kept);
            return gate.meter(record, request.ticket()).handle((charged, failure) -> {
                if (failure != null) {
                    System.err.println("usage not recorded for " + request.target().target().deployment() + ": "
                            + unwrap(failure).getMessage());
                    ctx.header("Retry-After", "1");
                    throw new ApiError(503, "metering_unavailable", "the request could not be metered, so it is not answered and"
                            + " not charged; retry (with the same Idempotency-Key)");
                }
                if (charged) {
                    send(ctx, served.answer());
                } else {
                    // another node charged this key first: answer what it answered
                    ctx.header("Idempotent-Replayed", "true");
                    IdempotentEntry first = gate.billing().ledger().idempotent(record.tenantId(), request.idempotencyKey())
                            .orElse(null);
                    send(ctx, first != null && first.answer() != null ? new Answer(first.answer().body(),
                            first.answer().contentType(), Map.of()) : served.answer());
                }
                return null;
            });
        });
    }

    private static ApiError overloaded(Context ctx, LiveTarget target) {
        ctx.header("Retry-After", "1");
        return new ApiError(503, "overloaded", "the queue of " + target.target().deployment() + " is full; retry after 1 second");
    }

    private static void send(Context ctx, Answer answer) {
        answer.headers().forEach(ctx::header);
        ctx.status(200).contentType(answer.contentType()).result(answer.body());
    }

    /** Answers a failure in the error shape; gives back the quota, and records a failure on our side uncharged. */
    private void fail(Context ctx, Admitted request, Throwable cause) {
        ApiError error;
        if (cause instanceof ApiError e) {
            error = e;
        } else if (cause instanceof Refusal r) {
            error = gate.refused(ctx, r);
        } else if (cause instanceof TimeoutException) {
            error = new ApiError(504, "timeout", "no answer within " + options.timeoutMs() + " ms");
        } else {
            System.err.println("inference failed for " + request.target().target().deployment() + ": " + cause);
            error = new ApiError(500, "inference_failed", "the model failed on this input; it has been logged");
        }
        // a body left unread (too large, too slow) cannot be skipped safely: the connection closes after the answer
        if (error.status() == 408 || error.status() == 413) ctx.header("Connection", "close");
        ModelServer.error(ctx, error.status(), error.code(), error.getMessage());
        if (request.caller() == null) return;
        if (error.status() >= 500 && error.status() != 503) {
            gate.meter(usage(request, UUID.randomUUID().toString(), null, error.status(), null, null), request.ticket());
        } else {
            gate.release(request.ticket());
        }
    }

    /** The usage record of a request: charged when it succeeded. */
    private static UsageRecord usage(Admitted request, String requestId, Served s, int status, String hash,
                                     UsageRecord.StoredAnswer answer) {
        boolean charged = status == 200;
        Caller caller = request.caller();
        LiveTarget target = request.target();
        return new UsageRecord(requestId, caller.tenant().id(), caller.key().id(), caller.plan().name(),
                target.target().deployment(), target.card().version(), charged ? s.units() : 0, s == null ? 0 : s.tokensIn(),
                s == null ? 0 : s.tokensOut(), s == null ? 0 : s.computeNanos() / 1000, s == null ? 0 : s.batchSize(), status,
                charged, System.currentTimeMillis(), request.idempotencyKey(), hash, answer);
    }

    /** What makes two requests the same request: method, path with the alias asked for, and the body. */
    private static String fingerprint(Context ctx, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String alias = ctx.queryParam("alias");
            sha.update((ctx.method() + " " + ctx.path() + (alias == null ? "" : "?alias=" + alias) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String idempotencyKey(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new ApiError(400, "invalid_idempotency_key", "header Idempotency-Key must be 1 to 200 characters");
        }
        return key;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }
}
