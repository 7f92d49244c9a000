package io.moxing.http;

import io.moxing.core.Echo;
import io.moxing.billing.Admission;
import io.moxing.billing.Caller;
import io.moxing.billing.IdempotentEntry;
import io.moxing.billing.Refusal;
import io.moxing.billing.UsageRecord;
import io.moxing.deploy.TrafficSplit;
import io.moxing.feedback.LoggedContent;
import io.moxing.feedback.PredictionLog;
import io.moxing.serve.DynamicBatcher;
import io.moxing.serve.FairWorkers;
import io.moxing.serve.LiveDeployments;
import io.moxing.serve.LiveTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One inference request past everything that is not its transport, the same for HTTP and gRPC: which
 * target answers (a private name answers as a missing one), admission (rate-limit token and quota, taken
 * before the body is read; the rest of a predictions budget once the rows are counted), the row limit, the
 * idempotency key (a replay gets the kept answer, a different request under a used key 422, a concurrent
 * duplicate 409), the work itself with its timeout, and metering: the answer is released only once its
 * usage record (with the kept answer, for keyed requests) is durable. A request that is refused or fails
 * gives back its quota; one that fails on our side is recorded uncharged.
 */
final class InferenceCore {
    /** What a request asks of a target: how many predictions, and the work that makes its answer. */
    interface Work {
        int rows();

        /** Starts the work; null when the target's queue cannot take it (503). */
        CompletableFuture<Served> start(String requestId);

        /** Whether the same request computes the same answer again (a sampled text does not). */
        boolean deterministic();

        /** The most language-model tokens it may use (its prompts' and the most it may write); 0 for other work. */
        default int tokens() {
            return 0;
        }

        /** Its answer is no longer wanted (it timed out): work that can stop early (a text being written) stops. */
        default void abandon() {}

        static Work of(int rows, boolean deterministic, Function<String, CompletableFuture<Served>> start) {
            return of(rows, deterministic, 0, start);
        }

        /** Work of a language model that may use up to {@code tokens} tokens (prompts and answers). */
        static Work of(int rows, boolean deterministic, int tokens, Function<String, CompletableFuture<Served>> start) {
            return of(rows, deterministic, tokens, start, () -> { });
        }

        /** As above, with what stops it when its answer is no longer wanted. */
        static Work of(int rows, boolean deterministic, int tokens, Function<String, CompletableFuture<Served>> start,
                       Runnable abandon) {
            return new Work() {
                public int tokens() {
                    return tokens;
                }

                public void abandon() {
                    abandon.run();
                }

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

    /** Where a streamed answer's events go. */
    interface EventSink {
        /**
         * Queues one event; false once the client has gone (the work should stop).
         *
         * @param data      the event's data (a JSON line)
         * @param tokensOut the completion tokens the client has seen once this event reaches it
         */
        boolean send(String data, int tokensOut);

        /** Whether the client is still there. */
        boolean open();

        /** The work begins (on its writer): called once, before its first event. */
        void begin();
    }

    /**
     * Work whose answer is sent while it is made (a text token by token). It runs on the target's writer and
     * never waits for the client: its events queue for the connection's relay.
     */
    interface StreamedWork extends Work {
        /** Starts the work, its events to {@code sink}; null when the target's queue cannot take it (503). */
        CompletableFuture<Served> start(String requestId, EventSink sink);

        @Override
        default CompletableFuture<Served> start(String requestId) {
            throw new UnsupportedOperationException("a streamed answer needs a sink for its events");
        }

        @Override
        default boolean deterministic() {
            return false;
        }
    }

    /**
     * What serving a request produced: the answer as sent and what the request used (predictions, tokens
     * in and out, model compute, the size of the batch it ran in), which is what metering charges.
     */
    record Served(EncodedAnswer answer, int units, int tokensIn, int tokensOut, long computeNanos, int batchSize,
                  Supplier<LoggedContent> content) {
        Served(EncodedAnswer answer, int units, int tokensIn, int tokensOut, long computeNanos, int batchSize) {
            this(answer, units, tokensIn, tokensOut, computeNanos, batchSize, null);
        }

        /** The same with {@code nanos} more of compute: the request's decoding, spent before the model ran. */
        Served plusCompute(long nanos) {
            return new Served(answer, units, tokensIn, tokensOut, computeNanos + nanos, batchSize, content);
        }
    }

    /** A request whose caller (null when the server runs open), target and admission were settled on its headers. */
    record Admitted(Caller caller, LiveTarget target, Admission.Ticket ticket, String idempotencyKey,
                    java.util.concurrent.atomic.AtomicInteger reservedTokens) {
        Admitted(Caller caller, LiveTarget target, Admission.Ticket ticket, String idempotencyKey) {
            this(caller, target, ticket, idempotencyKey, new java.util.concurrent.atomic.AtomicInteger());
        }

        /** The tenant whose lane of the target's batches and writers the request waits in. */
        String lane() {
            return caller == null ? FairWorkers.OPEN : caller.tenant().id();
        }
    }

    /** The answer to send (null when it was streamed already), and whether it is the kept answer of an earlier attempt. */
    record Outcome(EncodedAnswer answer, boolean replayed) {
        static final Outcome STREAMED = new Outcome(null, false);
    }

    private static final String METERING_UNAVAILABLE = "metering_unavailable";
    private final LiveDeployments live;
    /** Null when the server runs open. */
    private final BillingGate gate;
    private final ServeOptions options;
    /** Null when the server runs open (a prediction log needs tenants: only they can give feedback). */
    private final PredictionLog log;
    /** Seals logged requests off the batch workers' threads; null when there is no log. */
    private final java.util.concurrent.Executor sealing;

    InferenceCore(LiveDeployments live, BillingGate gate, ServeOptions options, PredictionLog log) {
        this.live = live;
        this.gate = gate;
        this.options = options;
        this.log = log;
        this.sealing = log == null ? null : java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "prediction-log-seal");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether requests are authenticated, limited and metered (through the state database); false when open. */
    boolean metered() {
        return gate != null;
    }

    /** The caller presenting {@code authorization}, or null when the server runs open. */
    Caller caller(String authorization) {
        return gate == null ? null : gate.caller(authorization);
    }

    /**
     * The target of deployment {@code name} that answers: the given version, else the given alias, else one
     * chosen by traffic split. A caller only ever hears of the deployments its tenant may see, and its key
     * must be allowed the deployment (403).
     */
    LiveTarget target(String name, String version, String alias, Caller caller) {
        List<LiveTarget> targets = live.targets(name);
        // another tenant's private deployment is answered exactly as a name that does not exist
        if (targets.isEmpty() || caller != null && !gate.admission().visible(caller, name)) {
            throw new ApiError(404, "unknown_model", "no model deployed as '" + Echo.of(name) + "'; deployed: "
                    + (caller == null ? new TreeSet<>(live.names()) : gate.admission().visibleOf(caller, live.names())));
        }
        if (caller != null) gate.authorize(caller, name);
        if (version != null) {
            return targets.stream().filter(t -> Integer.toString(t.card().version()).equals(version)).findFirst()
                    .orElseThrow(() -> new ApiError(404, "unknown_version", "model '" + name + "' has no deployed version "
                            + Echo.of(version) + "; deployed: " + targets.stream().map(t -> t.card().version()).toList()));
        }
        if (alias != null) {
            return targets.stream().filter(t -> t.target().alias().equals(alias)).findFirst()
                    .orElseThrow(() -> new ApiError(404, "unknown_alias", "model '" + name + "' has no alias '" + Echo.of(alias)
                            + "'; aliases: " + targets.stream().map(t -> t.target().alias()).toList()));
        }
        return TrafficSplit.choose(targets, t -> t.target().weight());
    }

    /**
     * The target that answers a request, as {@link #target}, held until the caller releases it once the request
     * is answered: a target retired meanwhile (a rollback, a new version) still answers it.
     */
    LiveTarget hold(String name, String version, String alias, Caller caller) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            LiveTarget target = target(name, version, alias, caller);
            if (target.hold()) return target;
            // retired between the choice and the hold: the deployments now name its successor
            Thread.onSpinWait();
        }
        throw new ApiError(503, "overloaded", "the deployment '" + name + "' is being replaced; retry after 1 second", 1);
    }

    /** Checks the idempotency key and takes the caller's rate-limit token and quota (429 when spent). */
    Admitted admit(Caller caller, LiveTarget target, String idempotencyKey) {
        return admit(caller, target, idempotencyKey, caller == null ? null : gate.admit(caller));
    }

    /**
     * Takes the caller's rate-limit token and quota before its target is known: for a body that names the model,
     * which must not be read, let alone parsed, for a caller over its limit. Null when the server runs open.
     */
    Admission.Ticket admitEarly(Caller caller) {
        return caller == null ? null : gate.admit(caller);
    }

    /** As {@link #admit(Caller, LiveTarget, String)}, with the token and quota {@link #admitEarly} took. */
    Admitted admit(Caller caller, LiveTarget target, String idempotencyKey, Admission.Ticket taken) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new ApiError(400, "invalid_idempotency_key", "the Idempotency-Key must be 1 to 200 characters");
        }
        return new Admitted(caller, target, taken, idempotencyKey);
    }

    /**
     * Runs the admitted request's work and meters it. {@code decodeNanos}, the time its body took to become that
     * work, is metered as compute with the model's: a form of large images costs more to decode than the model
     * costs to run, and the unit economics would otherwise not see it. {@code fingerprint} (asked only for a
     * keyed request) says what makes two requests the same request.
     */
    CompletableFuture<Outcome> run(Admitted request, Work work, long decodeNanos, Supplier<String> fingerprint) {
        if (work.rows() > options.maxRequestRows()) {
            throw new ApiError(413, "too_many_rows", "the request holds " + work.rows() + " samples; this server takes at most "
                    + options.maxRequestRows() + " per request (--max-request-rows): split it");
        }
        admitUnits(request, work);
        if (request.idempotencyKey() == null || request.caller() == null) {
            return compute(request, work, decodeNanos, io.moxing.serve.RequestIds.next(), null);
        }
        String tenant = request.caller().tenant().id();
        String hash = fingerprint.get();
        IdempotentEntry earlier;
        try {
            earlier = gate.idempotency().begin(tenant, request.idempotencyKey(), hash);
        } catch (Refusal r) {
            throw BillingGate.refused(r);
        }
        if (earlier != null) return replay(request, work, earlier);
        try {
            return compute(request, work, decodeNanos, io.moxing.serve.RequestIds.next(), hash)
                    .whenComplete((v, e) -> gate.idempotency().end(tenant, request.idempotencyKey()));
        } catch (RuntimeException e) {
            gate.idempotency().end(tenant, request.idempotencyKey());
            throw e;
        }
    }

    /** Answers a retry as the first attempt was answered, without charging it again. */
    private CompletableFuture<Outcome> replay(Admitted request, Work work, IdempotentEntry earlier) {
        gate.release(request.ticket());
        settleTokens(request, 0);
        if (earlier.answer() != null) {
            return CompletableFuture.completedFuture(new Outcome(kept(earlier.answer()), true));
        }
        if (!work.deterministic()) {
            throw new ApiError(422, "idempotent_answer_expired", "the answer given under this Idempotency-Key is no longer kept"
                    + " (answers are kept 24 hours) and this model's answer cannot be recomputed; send the request with a new key");
        }
        // the kept answer has been purged: a deterministic model computes the same answer again, uncharged
        return started(request, work, earlier.requestId()).thenApply(served -> new Outcome(served.answer(), true));
    }

    /** Runs the work, meters it (with the kept answer for a keyed request) and answers once that is durable. */
    private CompletableFuture<Outcome> compute(Admitted request, Work work, long decodeNanos, String requestId, String hash) {
        CompletableFuture<Served> running = started(request, work, requestId).thenApply(served -> served.plusCompute(decodeNanos));
        // copying, encoding and sealing a logged request (megabytes for a large one) must not hold the batch worker
        // that completed it: every tenant's next batch would wait
        boolean logs = log != null && log.logs(request.target().target().deployment());
        return (logs ? running.thenComposeAsync(served -> meterServed(request, requestId, hash, served), sealing)
                : running.thenCompose(served -> meterServed(request, requestId, hash, served)));
    }

    /** Meters a served request (with the kept answer for a keyed request) and answers once that is durable. */
    private CompletableFuture<Outcome> meterServed(Admitted request, String requestId, String hash, Served served) {
        settleTokens(request, served.tokensIn() + served.tokensOut());
        if (request.caller() == null) return CompletableFuture.completedFuture(new Outcome(served.answer(), false));
        UsageRecord.StoredAnswer kept = request.idempotencyKey() == null ? null
                : new UsageRecord.StoredAnswer(served.answer().contentType(), served.answer().headers(), served.answer().bytes());
        UsageRecord record = usage(request, requestId, served, 200, hash, kept, logged(request, requestId, served));
        return gate.meter(record, request.ticket()).handle((charged, failure) -> {
            if (failure != null) {
                System.err.println("usage not recorded for " + request.target().target().deployment() + ": "
                        + unwrap(failure).getMessage());
                throw new ApiError(503, METERING_UNAVAILABLE, "the request could not be metered, so it is not answered and"
                        + " not charged; retry (with the same idempotency key)", 1);
            }
            if (charged) return new Outcome(served.answer(), false);
            // another node charged this key first: answer what it answered
            IdempotentEntry first = gate.billing().ledger().idempotent(record.tenantId(), request.idempotencyKey())
                    .orElse(null);
            return new Outcome(first != null && first.answer() != null ? kept(first.answer()) : served.answer(), true);
        });
    }

    /**
     * Checks a streamed request as {@link #run} checks any (rows, predictions budget); a stream is never replayed,
     * so an idempotency key does not apply to it.
     */
    void admitStream(Admitted request, StreamedWork work) {
        admitUnits(request, work);
    }

    /**
     * Takes what a key whose rate counts predictions or tokens still owes for this request; a token reservation
     * (prompt and the most the answer may write) is settled when the answer is known ({@link #settleTokens}).
     */
    private void admitUnits(Admitted request, Work work) {
        if (request.caller() == null) return;
        gate.admitUnits(request.caller(), io.moxing.billing.RateUnit.PREDICTIONS, work.rows());
        request.reservedTokens().set(gate.admitUnits(request.caller(), io.moxing.billing.RateUnit.TOKENS, work.tokens()));
    }

    /** Gives back the reserved tokens the request did not use ({@code used}: its prompt's and its answer's). */
    private void settleTokens(Admitted request, int used) {
        int unused = request.reservedTokens().getAndSet(0) - used;
        if (request.caller() != null && unused > 0) gate.giveBack(request.caller(), unused);
    }

    /** Whether the request's key still works (always, on an open server): a stream asks again while it is written. */
    BooleanSupplier keyLive(Admitted request) {
        if (gate == null || request.caller() == null) return () -> true;
        String keyId = request.caller().key().id();
        return () -> gate.admission().live(keyId);
    }

    /**
     * Meters a stream once it has ended: charged for the completion tokens the client was sent ({@code tokensSent},
     * which are those it saw in the usage chunk when it asked for one); a stream the client left before its first
     * token (or its end), or one our side broke, is recorded uncharged. The future completes when the record is durable.
     */
    CompletableFuture<Void> meterStream(Admitted request, String requestId, Served served, int tokensSent, boolean delivered,
                                        Throwable failure) {
        settleTokens(request, served == null ? 0 : served.tokensIn() + tokensSent);
        if (request.caller() == null) return CompletableFuture.completedFuture(null);
        int status = failure != null ? 500 : delivered ? 200 : 499;
        Served sent = served == null ? null : new Served(null, served.units(), served.tokensIn(), tokensSent,
                served.computeNanos(), served.batchSize(), served.content());
        UsageRecord record = usage(request, requestId, sent, status, null, null,
                status == 200 && sent != null ? logged(request, requestId, sent) : null);
        // an uncharged record gives the request's quota back as it is written
        return gate.meter(record, request.ticket()).handle((charged, e) -> {
            if (e != null) {
                System.err.println("usage of a stream not recorded for " + request.target().target().deployment() + ": "
                        + unwrap(e).getMessage());
            }
            return null;
        });
    }

    private CompletableFuture<Served> started(Admitted request, Work work, String requestId) {
        CompletableFuture<Served> running = work.start(requestId);
        if (running == null) {
            throw new ApiError(503, "overloaded", "the queue of " + request.target().target().deployment()
                    + " is full; retry after 1 second", 1);
        }
        return running.orTimeout(options.timeoutMs(), TimeUnit.MILLISECONDS).whenComplete((served, failure) -> {
            // the client is answered 504 and not charged: the text being written for it stops and frees its slot
            if (unwrap(failure) instanceof TimeoutException) work.abandon();
        });
    }

    private static EncodedAnswer kept(UsageRecord.StoredAnswer answer) {
        return new EncodedAnswer(answer.body(), answer.contentType(), answer.headers());
    }

    /**
     * What a failed request is answered with. Gives back the quota of a refused request; one that failed
     * on our side is recorded uncharged.
     */
    ApiError failed(Admitted request, Throwable failure) {
        Throwable cause = unwrap(failure);
        ApiError error;
        if (cause instanceof ApiError e) {
            error = e;
        } else if (cause instanceof Refusal r) {
            error = BillingGate.refused(r);
        } else if (cause instanceof io.moxing.core.UserException e) {
            error = new ApiError(ModelServer.statusOf(e), e.code(), e.getMessage());
        } else if (cause instanceof TimeoutException) {
            error = new ApiError(504, "timeout", "no answer within " + options.timeoutMs() + " ms");
        } else {
            System.err.println("inference failed for " + request.target().target().deployment() + ": " + cause);
            error = new ApiError(500, "inference_failed", "the model failed on this input; it has been logged");
        }
        settleTokens(request, 0);
        if (request.caller() != null) {
            if (error.code().equals(METERING_UNAVAILABLE)) {
                // the failed metering gave the quota back already
            } else if (error.status() >= 500 && error.status() != 503) {
                gate.meter(usage(request, io.moxing.serve.RequestIds.next(), null, error.status(), null, null, null),
                        request.ticket());
            } else {
                gate.release(request.ticket());
            }
        }
        return error;
    }

    /** Work that runs every sample through the target's batcher, in the tenant's lane, whole or not at all. */
    static Work batched(LiveTarget target, String tenant, List<float[]> samples,
                        BiFunction<String, List<float[]>, EncodedAnswer> respond) {
        return Work.of(samples.size(), true, requestId -> {
            CompletableFuture<List<DynamicBatcher.Answer>> running = target.submit(tenant, samples);
            if (running == null) return null;
            return running.thenApply(answers -> {
                long computeNanos = 0;
                int batch = 0;
                List<float[]> outputs = new ArrayList<>(answers.size());
                for (DynamicBatcher.Answer a : answers) {
                    computeNanos += a.computeNanos();
                    batch = Math.max(batch, a.batchSize());
                    outputs.add(a.output());
                }
                ApiError notFinite = nonFinite(outputs);
                if (notFinite != null) throw notFinite;
                // the log's copy of the rows is made only when the deployment keeps a log
                return new Served(respond.apply(requestId, outputs), answers.size(), 0, 0, computeNanos, batch,
                        () -> tensors(samples, outputs));
            });
        });
    }

    /**
     * The refusal of an answer with a value that is not a number, or null when every value is finite. Inputs within
     * float32's range can still overflow the model's arithmetic (every pixel at 3.4e38), and an FP32 tensor of "NaN"
     * strings answered 200 broke the protocol and was charged. The client sent what the model cannot compute with: a
     * 422 naming the sample, and a refusal is not charged.
     */
    static ApiError nonFinite(List<float[]> outputs) {
        for (int sample = 0; sample < outputs.size(); sample++) {
            for (float v : outputs.get(sample)) {
                if (!Float.isFinite(v)) {
                    return new ApiError(422, "output_not_finite", "the model's output for sample " + sample + " is not a"
                            + " finite number: its input is beyond what the model can compute with; send values in the"
                            + " range of its training data");
                }
            }
        }
        return null;
    }

    /** The sealed inputs and outputs of a request when its deployment keeps a prediction log, else null. */
    private UsageRecord.Logged logged(Admitted request, String requestId, Served served) {
        String deployment = request.target().target().deployment();
        if (log == null || served.content() == null || !log.logs(deployment)) return null;
        return log.seal(deployment, request.target().card().name(), requestId, served.content().get(),
                System.currentTimeMillis());
    }

    /** The usage record of a request: charged when it succeeded. */
    private static UsageRecord usage(Admitted request, String requestId, Served s, int status, String hash,
                                     UsageRecord.StoredAnswer answer, UsageRecord.Logged logged) {
        boolean charged = status == 200;
        Caller caller = request.caller();
        LiveTarget target = request.target();
        return new UsageRecord(requestId, caller.tenant().id(), caller.key().id(), caller.plan().name(),
                target.target().deployment(), target.card().version(), charged ? s.units() : 0, s == null ? 0 : s.tokensIn(),
                s == null ? 0 : s.tokensOut(), s == null ? 0 : s.computeNanos() / 1000, s == null ? 0 : s.batchSize(), status,
                charged, System.currentTimeMillis(), request.idempotencyKey(), hash, answer, logged);
    }

    private static LoggedContent tensors(List<float[]> inputs, List<float[]> outputs) {
        int in = inputs.get(0).length, out = outputs.get(0).length;
        float[] x = new float[inputs.size() * in];
        float[] y = new float[outputs.size() * out];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i), 0, x, i * in, in);
            System.arraycopy(outputs.get(i), 0, y, i * out, out);
        }
        return new LoggedContent.Tensors(inputs.size(), in, x, out, y);
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }
}
