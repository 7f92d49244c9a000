package io.moxing.http;

import io.moxing.billing.Admission;
import io.moxing.billing.Caller;
import io.moxing.billing.IdempotentEntry;
import io.moxing.billing.UsageRecord;
import io.moxing.deploy.TrafficSplit;
import io.moxing.grpc.InferenceBackend;
import io.moxing.grpc.Refused;
import io.moxing.serve.DynamicBatcher;
import io.moxing.serve.LiveDeployments;
import io.moxing.serve.LiveTarget;
import io.moxing.serve.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The gRPC endpoint's way into this server: the same deployments, traffic split, billing gate,
 * batchers, metrics and in-flight count as the HTTP routes, so a call is admitted, run and metered
 * exactly as {@code POST /v2/models/{name}/infer} is. Refusals leave as {@link Refused} with the status
 * HTTP would have answered.
 */
final class GrpcBackend implements InferenceBackend {
    private static final String INPUT = "input";
    private static final String OUTPUT = "output";
    private final LiveDeployments live;
    /** Null when the server runs open. */
    private final BillingGate gate;
    private final ServerMetrics metrics;
    private final ServeOptions options;
    private final AtomicInteger inFlight;
    private final BooleanSupplier draining;

    GrpcBackend(LiveDeployments live, BillingGate gate, ServerMetrics metrics, ServeOptions options, AtomicInteger inFlight,
                BooleanSupplier draining) {
        this.live = live;
        this.gate = gate;
        this.metrics = metrics;
        this.options = options;
        this.inFlight = inFlight;
        this.draining = draining;
    }

    @Override
    public boolean ready() {
        return !draining.getAsBoolean();
    }

    @Override
    public ModelInfo metadata(String model, String version, String authorization) {
        try {
            LiveTarget t = target(model, version, authorization);
            List<Long> input = new ArrayList<>();
            input.add(-1L);
            t.card().inputShape().forEach(d -> input.add(d.longValue()));
            long outputs = t.model().compiled().outputShape().get(0);
            return new ModelInfo(model, live.targets(model).stream().map(x -> Integer.toString(x.card().version())).toList(),
                    "moxing_djl_pytorch", new TensorInfo(INPUT, "FP32", input), new TensorInfo(OUTPUT, "FP32", List.of(-1L, outputs)));
        } catch (ApiError e) {
            throw refused(e);
        }
    }

    @Override
    public boolean modelReady(String model, String version, String authorization) {
        try {
            target(model, version, authorization);
            return ready();
        } catch (ApiError e) {
            throw refused(e);
        }
    }

    /**
     * Authenticates, picks the target, decodes, admits, runs each sample through the target's batcher and
     * meters, in the order and with the outcomes of {@code InferenceRoutes.serve}: 503 when the queue is
     * full, 504 past the request timeout, an answer only once its usage record is durable, and a request
     * that fails on our side recorded uncharged. Kept in one method so a shared serving core can replace it whole.
     */
    @Override
    public CompletableFuture<Inferred> infer(String model, String version, String authorization, String idempotencyKey,
                                             Samples decode) {
        Caller caller;
        LiveTarget target;
        List<float[]> samples;
        try {
            caller = caller(authorization, model);
            target = choose(model, version, caller);
            if (target.isLanguageModel()) {
                throw new ApiError(400, "unsupported_for_language_models", "ModelInfer takes tensors; send a language model"
                        + " {\"prompt\": ...} to POST /v1/models/" + model + "/predict");
            }
            if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
                throw new ApiError(400, "invalid_idempotency_key", "metadata idempotency-key must be 1 to 200 characters");
            }
            samples = decode.decode(new Signature(model, INPUT, target.card().inputShape(), OUTPUT));
        } catch (ApiError e) {
            throw refused(e);
        }
        long start = System.nanoTime();
        String servedVersion = Integer.toString(target.card().version());
        if (samples.size() > options.maxRequestRows()) {
            throw refused(new ApiError(413, "too_many_rows", "the request holds " + samples.size() + " samples; this server takes at"
                    + " most " + options.maxRequestRows() + " per request (--max-request-rows): split it"));
        }
        Admission.Ticket ticket;
        IdempotentEntry earlier = null;
        boolean claimed = false;
        try {
            ticket = caller == null ? null : gate.admit(caller);
            try {
                if (caller != null) {
                    gate.admitPredictions(caller, samples.size());
                    if (idempotencyKey != null) {
                        earlier = gate.idempotency().begin(caller.tenant().id(), idempotencyKey, fingerprint(model, servedVersion,
                                samples));
                        claimed = earlier == null;
                    }
                }
            } catch (RuntimeException e) {
                gate.release(ticket);
                throw e;
            }
        } catch (ApiError e) {
            throw refused(e);
        }
        // a replay of a charged request: the tensor model computes the same outputs again, uncharged
        boolean replay = earlier != null;
        if (replay) gate.release(ticket);
        Admission.Ticket charge = replay ? null : ticket;
        String tenant = caller == null ? "" : caller.tenant().id();
        CompletableFuture<List<DynamicBatcher.Answer>> answers = target.submit(tenant, samples);
        if (answers == null) {
            if (claimed) gate.idempotency().end(tenant, idempotencyKey);
            gate.release(charge);
            metrics.request(model, 503, System.nanoTime() - start);
            throw new Refused(503, "overloaded", "the queue of " + model + " is full; retry after 1 second");
        }
        boolean release = claimed;
        inFlight.incrementAndGet();
        // set once the model answered: a failure after it is the meter's, and the request is then not answered
        AtomicBoolean served = new AtomicBoolean();
        String requestId = caller == null ? null : UUID.randomUUID().toString();
        return answers
                .orTimeout(options.timeoutMs(), TimeUnit.MILLISECONDS)
                .thenCompose(done -> {
                    List<float[]> outputs = new ArrayList<>(done.size());
                    long computeNanos = 0;
                    int batch = 0;
                    for (DynamicBatcher.Answer a : done) {
                        outputs.add(a.output());
                        computeNanos += a.computeNanos();
                        batch = Math.max(batch, a.batchSize());
                    }
                    served.set(true);
                    Inferred inferred = new Inferred(model, servedVersion, OUTPUT, outputs);
                    if (caller == null || replay) return CompletableFuture.completedFuture(inferred);
                    return gate.meter(usage(caller, requestId, target, outputs.size(), computeNanos, batch, 200, idempotencyKey),
                            ticket).thenApply(charged -> inferred);
                })
                .whenComplete((v, e) -> {
                    if (release) gate.idempotency().end(tenant, idempotencyKey);
                })
                .handle((inferred, failure) -> {
                    try {
                        if (failure == null) {
                            metrics.request(model, 200, System.nanoTime() - start);
                            return inferred;
                        }
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        ApiError error;
                        if (served.get()) {
                            System.err.println("usage not recorded for " + model + ": " + cause.getMessage());
                            error = new ApiError(503, "metering_unavailable", "the request could not be metered, so it is"
                                    + " not answered and not charged; retry (with the same idempotency-key)");
                        } else if (cause instanceof TimeoutException) {
                            error = new ApiError(504, "timeout", "no answer within " + options.timeoutMs() + " ms");
                        } else if (cause instanceof ApiError e) {
                            error = e;
                        } else {
                            System.err.println("inference failed for " + model + ": " + cause);
                            error = new ApiError(500, "inference_failed", "the model failed on this input; it has been logged");
                        }
                        if (caller != null && !served.get() && !replay) {
                            gate.meter(usage(caller, requestId, target, 0, 0, 0, error.status(), null), ticket);
                        }
                        metrics.request(model, error.status(), System.nanoTime() - start);
                        throw refused(error);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
    }

    /**
     * What makes two ModelInfer calls the same request under one idempotency key: the model, the version
     * that served it and the input values (a different input under a used key is refused, as over HTTP).
     */
    private static String fingerprint(String model, String version, List<float[]> samples) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(("grpc ModelInfer " + model + " " + version + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.nio.ByteBuffer row = null;
            for (float[] sample : samples) {
                if (row == null || row.capacity() != sample.length * 4) row = java.nio.ByteBuffer.allocate(sample.length * 4);
                row.clear();
                row.asFloatBuffer().put(sample);
                sha.update(row.array());
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The usage record of a request, as InferenceRoutes writes it: charged when it succeeded. */
    private static UsageRecord usage(Caller caller, String requestId, LiveTarget target, int units, long computeNanos,
                                     int batchSize, int status, String idempotencyKey) {
        boolean charged = status == 200;
        return new UsageRecord(requestId, caller.tenant().id(), caller.key().id(), caller.plan().name(),
                target.target().deployment(), target.card().version(), charged ? units : 0, 0, 0, computeNanos / 1000,
                batchSize, status, charged, System.currentTimeMillis(), idempotencyKey);
    }

    private LiveTarget target(String model, String version, String authorization) {
        return choose(model, version, caller(authorization, model));
    }

    /** The authenticated caller, or null when the server runs open; nothing is answered while draining. */
    private Caller caller(String authorization, String model) {
        if (draining.getAsBoolean()) {
            throw new ApiError(503, "shutting_down", "the server is shutting down; retry on another node");
        }
        return gate == null ? null : gate.caller(authorization, model);
    }

    /**
     * A target of the deployment: by version when given, else by traffic split. A caller (billing on) only
     * ever hears of the deployments its tenant may see.
     */
    private LiveTarget choose(String model, String version, Caller caller) {
        List<LiveTarget> targets = live.targets(model);
        if (targets.isEmpty()) {
            throw new ApiError(404, "unknown_model", "no model deployed as '" + model + "'; deployed: "
                    + (caller == null ? new java.util.TreeSet<>(live.names()) : gate.admission().visibleOf(caller, live.names())));
        }
        if (version == null) return TrafficSplit.choose(targets, t -> t.target().weight());
        return targets.stream().filter(t -> Integer.toString(t.card().version()).equals(version)).findFirst()
                .orElseThrow(() -> new ApiError(404, "unknown_version", "model '" + model + "' has no deployed version "
                        + version + "; deployed: " + targets.stream().map(t -> t.card().version()).toList()));
    }

    private static Refused refused(ApiError e) {
        return new Refused(e.status(), e.code(), e.getMessage());
    }
}
