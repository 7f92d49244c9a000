package io.moxing.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.moxing.billing.Admission;
import io.moxing.billing.Caller;
import io.moxing.billing.UsageRecord;
import io.moxing.deploy.TrafficSplit;
import io.moxing.predict.Predictions;
import io.moxing.registry.ModelVersion;
import io.moxing.serve.DynamicBatcher;
import io.moxing.serve.LiveDeployments;
import io.moxing.serve.LiveTarget;
import io.moxing.serve.ServerMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The routes that run models: Moxing's v1 predict and explain (images, rows, text for language models)
 * and the Open Inference Protocol v2. With billing on, each call is authenticated, admitted against the
 * key's rate limit and the plan's quota, and answered only once its usage record is durable.
 */
final class InferenceRoutes {
    private final LiveDeployments live;
    /** Null when the server runs open. */
    private final BillingGate gate;
    private final ServerMetrics metrics;
    private final ServeOptions options;
    private final AtomicInteger inFlight;
    private final BooleanSupplier draining;

    InferenceRoutes(LiveDeployments live, BillingGate gate, ServerMetrics metrics, ServeOptions options, AtomicInteger inFlight,
                    BooleanSupplier draining) {
        this.live = live;
        this.gate = gate;
        this.metrics = metrics;
        this.options = options;
        this.inFlight = inFlight;
        this.draining = draining;
    }

    void register(Javalin app) {
        app.post("/v1/models/{name}/predict", this::predict);
        app.post("/v1/models/{name}/explain", this::explain);
        app.get("/v2", ctx -> ModelServer.json(ctx, 200, V2Codec.serverMetadata()));
        app.get("/v2/health/live", ctx -> ModelServer.json(ctx, 200, Map.of("live", true)));
        app.get("/v2/health/ready", ctx -> ModelServer.json(ctx, ready() ? 200 : 503, Map.of("ready", ready())));
        app.get("/v2/models/{name}", ctx -> ModelServer.json(ctx, 200, metadata(target(ctx, null, caller(ctx)))));
        app.get("/v2/models/{name}/versions/{version}",
                ctx -> ModelServer.json(ctx, 200, metadata(target(ctx, ctx.pathParam("version"), caller(ctx)))));
        app.get("/v2/models/{name}/ready", ctx -> ModelServer.json(ctx, 200, readiness(target(ctx, null, caller(ctx)))));
        app.get("/v2/models/{name}/versions/{version}/ready",
                ctx -> ModelServer.json(ctx, 200, readiness(target(ctx, ctx.pathParam("version"), caller(ctx)))));
        app.post("/v2/models/{name}/infer", ctx -> infer(ctx, null));
        app.post("/v2/models/{name}/versions/{version}/infer", ctx -> infer(ctx, ctx.pathParam("version")));
    }

    private void predict(Context ctx) {
        Caller caller = caller(ctx);
        LiveTarget target = target(ctx, null, caller);
        if (target.isLanguageModel()) {
            complete(ctx, caller, target);
            return;
        }
        ModelVersion card = target.card();
        List<float[]> samples = samples(ctx, card);
        String id = UUID.randomUUID().toString();
        answer(ctx, caller, id, target, samples, outputs -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("prediction_id", id);
            body.put("model", target.target().deployment());
            body.put("version", card.version());
            body.put("alias", target.target().alias());
            List<Map<String, Object>> predictions = new ArrayList<>();
            for (float[] o : outputs) predictions.add(Predictions.describe(o, card));
            body.put("predictions", predictions);
            return body;
        });
    }

    /**
     * Text from a language model: {"prompt", "max_tokens", "temperature", "top_k", "top_p", "seed"}; the
     * answer carries the text and the tokens read and written, which is what a per-token plan charges.
     */
    private void complete(Context ctx, Caller caller, LiveTarget target) {
        var tokenizer = target.model().tokenizer();
        CompletionRequest request = CompletionRequest.parse(RequestDecoder.json(ctx.bodyAsBytes()), tokenizer);
        String id = UUID.randomUUID().toString();
        serve(ctx, caller, id, target, () -> target.write(() -> {
            long start = System.nanoTime();
            int[] written = new io.moxing.generate.TextGenerator(target.model().compiled(), target.model().manager())
                    .generate(request.promptIds(), request.maxTokens(), request.sampler(), true, token -> { });
            long nanos = System.nanoTime() - start;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("prediction_id", id);
            body.put("model", target.target().deployment());
            body.put("version", target.card().version());
            body.put("alias", target.target().alias());
            body.put("prompt", request.prompt() == null ? "" : request.prompt());
            body.put("text", tokenizer.decode(written));
            body.put("finish_reason", "length");
            body.put("usage", Map.of("prompt_tokens", request.promptIds().length, "completion_tokens", written.length));
            return new Served(body, 1, request.promptIds().length, written.length, nanos, 1);
        }));
    }

    private void refuseLanguageModel(LiveTarget target, String route) {
        if (target.isLanguageModel()) {
            throw new ApiError(400, "unsupported_for_language_models", route + " takes tensors or images; send a language model"
                    + " {\"prompt\": ...} to POST /v1/models/" + target.target().deployment() + "/predict");
        }
    }

    /** A v1 request's samples: uploaded images, a base64 image, or JSON rows. */
    private List<float[]> samples(Context ctx, ModelVersion card) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (!type.startsWith("multipart/form-data")) {
            return RequestDecoder.v1(ctx.bodyAsBytes(), card, options.maxImagePixels());
        }
        List<UploadedFile> files = ctx.uploadedFiles();
        if (files.isEmpty()) {
            throw new ApiError(400, "missing_field", "the form has no file; upload the image as field \"image\"");
        }
        List<float[]> samples = new ArrayList<>();
        for (UploadedFile f : files) {
            try (var in = f.content()) {
                samples.add(RequestDecoder.image(in.readAllBytes(), card, f.filename(), options.maxImagePixels()));
            } catch (java.io.IOException e) {
                throw new ApiError(400, "unreadable_upload", "upload \"" + f.filename() + "\" cannot be read");
            }
        }
        return samples;
    }

    /**
     * An occlusion map (images) or per-feature attributions (rows) for the first sample of the request.
     * It runs the model many times outside the batcher, on a Jetty thread, and is charged as one
     * prediction with the compute it took.
     */
    private void explain(Context ctx) {
        Caller caller = caller(ctx);
        LiveTarget target = target(ctx, null, caller);
        refuseLanguageModel(target, "explain");
        ModelVersion card = target.card();
        float[] sample = samples(ctx, card).get(0);
        serve(ctx, caller, UUID.randomUUID().toString(), target, () -> {
            long start = System.nanoTime();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", target.target().deployment());
            body.put("version", card.version());
            body.put("prediction", Predictions.describe(target.model().predict(sample, 1)[0], card));
            List<Integer> shape = card.inputShape();
            if ("image".equals(card.dataKind()) && shape.size() == 3) {
                var map = io.moxing.explain.Explanations.occlusion(target.model(), sample, shape.get(0), shape.get(1), shape.get(2));
                body.put("method", "occlusion");
                body.put("class", map.classIndex());
                body.put("patch", map.patch());
                body.put("stride", map.stride());
                body.put("map", map.drop());
                body.put("png", java.util.Base64.getEncoder().encodeToString(io.moxing.chart.Charts.png(
                        io.moxing.chart.HeatMap.overlay(sample, shape.get(0), shape.get(1), shape.get(2), map.drop(),
                                map.patch(), map.stride(), 8))));
            } else {
                body.put("method", "feature_ablation");
                body.put("attributions", io.moxing.explain.Explanations.features(target.model(), sample));
            }
            return CompletableFuture.completedFuture(new Served(body, 1, 0, 0, System.nanoTime() - start, 1));
        });
    }

    private void infer(Context ctx, String version) {
        Caller caller = caller(ctx);
        LiveTarget target = target(ctx, version, caller);
        refuseLanguageModel(target, "v2 infer");
        V2Request request = V2Codec.decode(ctx.bodyAsBytes(), ctx.header(V2Codec.HEADER_LENGTH), target.card());
        answer(ctx, caller, UUID.randomUUID().toString(), target, request.samples(),
                outputs -> V2Codec.encode(request, target.target().deployment(), target.card().version(), outputs));
    }

    /**
     * Submits every sample to the target's batcher and answers when all are done: 503 with Retry-After
     * when the queue is full, 504 past the request timeout.
     */
    private void answer(Context ctx, Caller caller, String requestId, LiveTarget target, List<float[]> samples,
                        java.util.function.Function<List<float[]>, Object> respond) {
        serve(ctx, caller, requestId, target, () -> {
            List<CompletableFuture<DynamicBatcher.Answer>> futures = new ArrayList<>();
            for (float[] s : samples) {
                CompletableFuture<DynamicBatcher.Answer> f = target.submit(s);
                if (f == null) return null;
                futures.add(f);
            }
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<DynamicBatcher.Answer> answers = futures.stream().map(CompletableFuture::join).toList();
                long computeNanos = 0;
                int batch = 0;
                for (DynamicBatcher.Answer a : answers) {
                    computeNanos += a.computeNanos();
                    batch = Math.max(batch, a.batchSize());
                }
                return new Served(respond.apply(answers.stream().map(DynamicBatcher.Answer::output).toList()),
                        answers.size(), 0, 0, computeNanos, batch);
            });
        });
    }

    /**
     * Runs a request's work and answers it: 503 with Retry-After when the work cannot be queued (it
     * returns null), 504 past the request timeout. With billing on, the request is admitted (rate limit,
     * quota) first and answered only once its usage record is durable; a request that fails on our side
     * is recorded uncharged.
     */
    private void serve(Context ctx, Caller caller, String requestId, LiveTarget target,
                       java.util.function.Supplier<CompletableFuture<Served>> work) {
        long start = System.nanoTime();
        String model = target.target().deployment();
        String idempotencyKey = idempotencyKey(ctx);
        Admission.Ticket ticket = caller == null ? null : gate.admit(ctx, caller);
        CompletableFuture<Served> running;
        try {
            running = work.get();
        } catch (RuntimeException e) {
            if (ticket != null) gate.admission().release(ticket);
            throw e;
        }
        if (running == null) {
            if (ticket != null) gate.admission().release(ticket);
            ctx.header("Retry-After", "1");
            metrics.request(model, 503, System.nanoTime() - start);
            throw new ApiError(503, "overloaded", "the queue of " + model + " is full; retry after 1 second");
        }
        inFlight.incrementAndGet();
        java.util.concurrent.atomic.AtomicReference<Served> served = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Object> done = running.orTimeout(options.timeoutMs(), TimeUnit.MILLISECONDS).thenCompose(result -> {
            served.set(result);
            if (caller == null) return CompletableFuture.completedFuture(result.body());
            return gate.meter(usage(caller, requestId, target, result, 200, idempotencyKey), ticket).thenApply(charged -> {
                if (!charged) ctx.header("Idempotent-Replayed", "true");
                return result.body();
            });
        });
        ctx.future(() -> done.handle((body, failure) -> {
            try {
                if (failure == null && body instanceof EncodedAnswer encoded) {
                    encoded.headers().forEach(ctx::header);
                    ctx.status(200).contentType(encoded.contentType()).result(encoded.bytes());
                } else if (failure == null) {
                    ModelServer.json(ctx, 200, body);
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (served.get() != null) {
                        System.err.println("usage not recorded for " + model + ": " + cause.getMessage());
                        ctx.header("Retry-After", "1");
                        ModelServer.error(ctx, 503, "metering_unavailable", "the request could not be metered, so it is not answered"
                                + " and not charged; retry (with the same Idempotency-Key)");
                    } else if (cause instanceof TimeoutException) {
                        ModelServer.error(ctx, 504, "timeout", "no answer within " + options.timeoutMs() + " ms");
                    } else if (cause instanceof ApiError e) {
                        ModelServer.error(ctx, e.status(), e.code(), e.getMessage());
                    } else {
                        System.err.println("inference failed for " + model + ": " + cause);
                        ModelServer.error(ctx, 500, "inference_failed", "the model failed on this input; it has been logged");
                    }
                    if (caller != null && served.get() == null) {
                        gate.meter(usage(caller, requestId, target, Served.NOTHING, ctx.statusCode(), null), ticket);
                    }
                }
                metrics.request(model, ctx.statusCode(), System.nanoTime() - start);
            } finally {
                inFlight.decrementAndGet();
            }
            return null;
        }));
    }

    /** The usage record of a request: charged when it succeeded. */
    private UsageRecord usage(Caller caller, String requestId, LiveTarget target, Served s, int status, String idempotencyKey) {
        boolean charged = status == 200;
        return new UsageRecord(requestId, caller.tenant().id(), caller.key().id(), caller.plan().name(),
                target.target().deployment(), target.card().version(), charged ? s.units() : 0, s.tokensIn(), s.tokensOut(),
                s.computeNanos() / 1000, s.batchSize(), status, charged, System.currentTimeMillis(), idempotencyKey);
    }

    private String idempotencyKey(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new ApiError(400, "invalid_idempotency_key", "header Idempotency-Key must be 1 to 200 characters");
        }
        return key;
    }

    /** The authenticated caller, or null when the server runs open. */
    private Caller caller(Context ctx) {
        return gate == null ? null : gate.caller(ctx, ctx.pathParam("name"));
    }


    /**
     * A target of the deployment in the path: by version when given, else by traffic split. A caller
     * (billing on) only ever hears of the deployments its tenant may see.
     */
    private LiveTarget target(Context ctx, String version, Caller caller) {
        String name = ctx.pathParam("name");
        List<LiveTarget> targets = live.targets(name);
        if (targets.isEmpty()) {
            throw new ApiError(404, "unknown_model", "no model deployed as '" + name + "'; deployed: "
                    + (caller == null ? new java.util.TreeSet<>(live.names()) : gate.admission().visibleOf(caller, live.names())));
        }
        if (version != null) {
            return targets.stream().filter(t -> Integer.toString(t.card().version()).equals(version)).findFirst()
                    .orElseThrow(() -> new ApiError(404, "unknown_version", "model '" + name + "' has no deployed version "
                            + version + "; deployed: " + targets.stream().map(t -> t.card().version()).toList()));
        }
        String alias = ctx.queryParam("alias");
        if (alias != null) {
            return targets.stream().filter(t -> t.target().alias().equals(alias)).findFirst()
                    .orElseThrow(() -> new ApiError(404, "unknown_alias", "model '" + name + "' has no alias '" + alias
                            + "'; aliases: " + targets.stream().map(t -> t.target().alias()).toList()));
        }
        return TrafficSplit.choose(targets, t -> t.target().weight());
    }


    private boolean ready() {
        return !draining.getAsBoolean();
    }

    private Map<String, Object> metadata(LiveTarget t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.target().deployment());
        m.put("versions", live.targets(t.target().deployment()).stream().map(x -> Integer.toString(x.card().version())).toList());
        m.put("platform", "moxing_djl_pytorch");
        List<Object> inputShape = new ArrayList<>();
        inputShape.add(-1);
        inputShape.addAll(t.card().inputShape());
        m.put("inputs", List.of(Map.of("name", "input", "datatype", "FP32", "shape", inputShape)));
        int outputs = t.model().compiled().outputShape().get(0).intValue();
        m.put("outputs", List.of(Map.of("name", "output", "datatype", "FP32", "shape", List.of(-1, outputs))));
        return m;
    }

    private Map<String, Object> readiness(LiveTarget t) {
        return Map.of("name", t.target().deployment(), "ready", ready());
    }

    /**
     * What serving a request produced: the response body and what the request used (predictions, tokens in
     * and out, model compute, the size of the batch it ran in), which is what metering charges.
     */
    private record Served(Object body, int units, int tokensIn, int tokensOut, long computeNanos, int batchSize) {
        static final Served NOTHING = new Served(null, 0, 0, 0, 0, 0);
    }
}
