package io.moxing.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.moxing.billing.Admission;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Caller;
import io.moxing.billing.UsageRecord;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.deploy.TrafficSplit;
import io.moxing.predict.Predictions;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.time.Duration;
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

/**
 * The HTTP server: registered models deployed under public names, answered through Moxing's v1 API and
 * the Open Inference Protocol v2, with dynamic batching, back-pressure, metrics and graceful shutdown.
 * Deployments live in the state database and are re-read every {@code pollMs}, so {@code moxing deploy}
 * (or another node) changes what this server answers without a restart; a target's model is loaded
 * before it takes traffic.
 */
public final class ModelServer implements AutoCloseable {
    private final Deployments deployments;
    private final ModelRegistry registry;
    private final ServeOptions options;
    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LiveDeployments live;
    /** Authentication, limits and metering; null when the server runs open (benchmarks, local trials). */
    private final BillingGate gate;
    private volatile boolean draining;
    private Javalin app;

    /** An open server: no API keys, no limits, no metering. */
    public ModelServer(MoxingHome home, Deployments deployments, ServeOptions options) {
        this(home, deployments, options, null);
    }

    /** A server whose every inference call is authenticated, limited and metered through {@code billing}. */
    public ModelServer(MoxingHome home, Deployments deployments, ServeOptions options, BillingAdmin billing) {
        this.deployments = deployments;
        this.registry = new ModelRegistry(home.models());
        this.options = options;
        this.live = new LiveDeployments(deployments, registry, options.queueCapacity(), metrics);
        this.gate = billing == null ? null : new BillingGate(billing, options.pollMs());
    }

    public ModelServer start() {
        live.reconcile();
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.jetty.multipartConfig.maxFileSize(options.maxBodyBytes(), io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(options.maxBodyBytes(), io.javalin.config.SizeUnit.BYTES);
            // uploads stay in memory (the body limit bounds them) instead of a temporary file per request
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, options.maxBodyBytes()),
                    io.javalin.config.SizeUnit.BYTES);
        });
        new Routes().register(app);
        if (gate != null) new BillingRoutes(gate, live::names).register(app);
        app.start(options.host(), options.port());
        live.poll(options.pollMs());
        return this;
    }

    public int port() {
        return app.port();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Brings the served targets, keys and plans in step with the database now (pollers do it every pollMs). */
    public void reconcile() {
        live.reconcile();
        if (gate != null) gate.admission().refresh();
    }

    /**
     * Stops accepting requests (new ones get 503), waits up to {@code timeout} for those in flight, then
     * stops the HTTP server and unloads the models.
     */
    public void drainAndStop(Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (app != null) app.stop();
        if (gate != null) gate.close();
        live.close();
    }

    /** The routes, each answering JSON; every refusal is {"error": {"code", "message"}}. */
    private final class Routes {
        void register(Javalin app) {
            app.post("/v1/models/{name}/predict", this::predict);
            app.post("/v1/models/{name}/explain", this::explain);
            app.get("/v2/health/live", ctx -> json(ctx, 200, Map.of("live", true)));
            app.get("/v2/health/ready", ctx -> json(ctx, ready() ? 200 : 503, Map.of("ready", ready())));
            app.get("/v2/models/{name}", ctx -> json(ctx, 200, metadata(target(ctx, null, caller(ctx)))));
            app.get("/v2/models/{name}/versions/{version}",
                    ctx -> json(ctx, 200, metadata(target(ctx, ctx.pathParam("version"), caller(ctx)))));
            app.get("/v2/models/{name}/ready", ctx -> json(ctx, 200, readiness(target(ctx, null, caller(ctx)))));
            app.get("/v2/models/{name}/versions/{version}/ready",
                    ctx -> json(ctx, 200, readiness(target(ctx, ctx.pathParam("version"), caller(ctx)))));
            app.post("/v2/models/{name}/infer", ctx -> infer(ctx, null));
            app.post("/v2/models/{name}/versions/{version}/infer", ctx -> infer(ctx, ctx.pathParam("version")));
            app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.document()));
            app.get("/admin/deployments", ctx -> json(ctx, 200, Map.of("deployments", deployments.list())));
            app.post("/admin/deployments", this::deploy);
            app.delete("/admin/deployments/{name}", this::undeploy);
            app.before(ctx -> {
                if (draining) throw new ApiError(503, "shutting_down", "the server is shutting down; retry on another node");
            });
            if (gate != null) {
                app.before("/admin/*", ctx -> ctx.attribute("actor", gate.admin(ctx)));
                app.before("/metrics", gate::admin);
            }
            app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
            app.exception(UserException.class, (e, ctx) -> error(ctx, statusOf(e), e.code(), e.getMessage()));
            app.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus();
                switch (status) {
                    case 413 -> error(ctx, 413, "body_too_large", "the body is over the limit of " + options.maxBodyBytes()
                            + " bytes");
                    case 404 -> error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path()
                            + "; see GET /openapi.json");
                    default -> error(ctx, status, "http_" + status, e.getMessage());
                }
            });
            app.exception(Exception.class, (e, ctx) -> {
                System.err.println("internal error on " + ctx.path() + ": " + e);
                error(ctx, 500, "internal", "the server failed on this request; it has been logged");
            });
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
                return RequestDecoder.v1(RequestDecoder.json(ctx.bodyAsBytes()), card);
            }
            List<UploadedFile> files = ctx.uploadedFiles();
            if (files.isEmpty()) {
                throw new ApiError(400, "missing_field", "the form has no file; upload the image as field \"image\"");
            }
            List<float[]> samples = new ArrayList<>();
            for (UploadedFile f : files) {
                try (var in = f.content()) {
                    samples.add(RequestDecoder.image(in.readAllBytes(), card, f.filename()));
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
            JsonNode body = RequestDecoder.json(ctx.bodyAsBytes());
            List<float[]> samples = RequestDecoder.v2(body, target.card());
            String id = body.path("id").asText(UUID.randomUUID().toString());
            answer(ctx, caller, UUID.randomUUID().toString(), target, samples, outputs -> {
                int width = outputs.get(0).length;
                float[] data = new float[outputs.size() * width];
                for (int i = 0; i < outputs.size(); i++) System.arraycopy(outputs.get(i), 0, data, i * width, width);
                Map<String, Object> tensor = new LinkedHashMap<>();
                tensor.put("name", "output");
                tensor.put("shape", List.of(outputs.size(), width));
                tensor.put("datatype", "FP32");
                tensor.put("data", data);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model_name", target.target().deployment());
                out.put("model_version", Integer.toString(target.card().version()));
                out.put("id", id);
                out.put("outputs", List.of(tensor));
                return out;
            });
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
                    if (failure == null) {
                        json(ctx, 200, body);
                    } else {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        if (served.get() != null) {
                            System.err.println("usage not recorded for " + model + ": " + cause.getMessage());
                            ctx.header("Retry-After", "1");
                            error(ctx, 503, "metering_unavailable", "the request could not be metered, so it is not answered"
                                    + " and not charged; retry (with the same Idempotency-Key)");
                        } else if (cause instanceof TimeoutException) {
                            error(ctx, 504, "timeout", "no answer within " + options.timeoutMs() + " ms");
                        } else if (cause instanceof ApiError e) {
                            error(ctx, e.status(), e.code(), e.getMessage());
                        } else {
                            System.err.println("inference failed for " + model + ": " + cause);
                            error(ctx, 500, "inference_failed", "the model failed on this input; it has been logged");
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

        private void deploy(Context ctx) {
            JsonNode body = RequestDecoder.json(ctx.bodyAsBytes());
            DeploymentTarget target;
            try {
                target = DeploymentRequests.target(body, registry);
            } catch (UserException e) {
                throw new ApiError(e.code().startsWith("unknown_model") ? 404 : 400, e.code(), e.getMessage());
            }
            deployments.put(target);
            audit(ctx, "deployment.put", target.deployment() + "/" + target.alias(), target.modelRef() + " weight=" + target.weight());
            reconcile();
            json(ctx, 201, target);
        }

        private void undeploy(Context ctx) {
            int removed = deployments.remove(ctx.pathParam("name"), ctx.queryParam("alias"));
            if (removed == 0) {
                throw new ApiError(404, "unknown_deployment", "no deployment '" + ctx.pathParam("name") + "'"
                        + (ctx.queryParam("alias") == null ? "" : " with alias '" + ctx.queryParam("alias") + "'"));
            }
            audit(ctx, "deployment.remove", ctx.pathParam("name"), ctx.queryParam("alias") == null ? "all aliases"
                    : "alias=" + ctx.queryParam("alias"));
            reconcile();
            json(ctx, 200, Map.of("removed", removed));
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

        private void audit(Context ctx, String action, String target, String detail) {
            if (gate != null) gate.billing().audit().append(ctx.attribute("actor"), action, target, detail);
        }

        private boolean ready() {
            return !draining;
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
            return Map.of("name", t.target().deployment(), "ready", !draining);
        }
    }

    /**
     * What serving a request produced: the response body and what the request used (predictions, tokens in
     * and out, model compute, the size of the batch it ran in), which is what metering charges.
     */
    private record Served(Object body, int units, int tokensIn, int tokensOut, long computeNanos, int batchSize) {
        static final Served NOTHING = new Served(null, 0, 0, 0, 0, 0);
    }

    /** A user mistake's status: 404 for a name that does not exist, 409 for one taken, else 400. */
    static int statusOf(UserException e) {
        if (e.code().startsWith("unknown_")) return 404;
        if (e.code().endsWith("_exists") || e.code().equals("period_invoiced") || e.code().equals("period_open")) return 409;
        return 400;
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.line(body));
    }

    static void error(Context ctx, int status, String code, String message) {
        json(ctx, status, Map.of("error", Map.of("code", code, "message", message)));
    }
}
