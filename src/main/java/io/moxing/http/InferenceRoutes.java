package io.moxing.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.core.Json;
import io.moxing.feedback.LoggedContent;
import io.moxing.generate.Completion;
import io.moxing.predict.Explanation;
import io.moxing.predict.Predictor;
import io.moxing.privacy.PiiRedactor;
import io.moxing.predict.Predictions;
import io.moxing.registry.ModelVersion;
import io.moxing.serve.LiveDeployments;
import io.moxing.serve.LiveTarget;
import io.moxing.serve.PredictionId;
import io.moxing.http.InferenceCore.Served;
import io.moxing.http.InferenceCore.Work;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The routes that run models: Moxing's v1 predict and explain (images, rows, text for language models)
 * and the Open Inference Protocol v2. Each route says how a body becomes work; {@link ServingPipeline}
 * reads and answers, {@link InferenceCore} admits, runs and meters.
 */
final class InferenceRoutes {
    /** The probes' answers, written once: load balancers ask for them many times a second. */
    private static final byte[] LIVE = probe("live", true), READY = probe("ready", true), NOT_READY = probe("ready", false);
    private static final PiiRedactor REDACTOR = new PiiRedactor();
    private final LiveDeployments live;
    private final InferenceCore core;
    private final ServingPipeline pipeline;
    private final ServeOptions options;
    private final BooleanSupplier draining;
    /** v2 binary headers read before, one table for every deployment (each kept with its tenant and its model's card). */
    private final V2Headers v2Headers = new V2Headers();

    InferenceRoutes(LiveDeployments live, InferenceCore core, ServingPipeline pipeline, ServeOptions options,
                    BooleanSupplier draining) {
        this.live = live;
        this.core = core;
        this.pipeline = pipeline;
        this.options = options;
        this.draining = draining;
    }

    /**
     * Javalin's routes for these requests. {@link DirectFront} takes the plain forms of the hot ones first and serves
     * them through the same methods below; these answer the rest (HEAD, a trailing slash, an escaped name).
     */
    void register(Javalin app) {
        app.post("/v1/models/{name}/predict", ctx -> predict(HttpCall.of(ctx), ctx.pathParam("name"), ctx::future));
        app.post("/v1/models/{name}/explain", ctx -> explain(HttpCall.of(ctx), ctx.pathParam("name"), ctx::future));
        app.get("/v2", ctx -> ModelServer.json(ctx, 200, V2Codec.serverMetadata()));
        app.get("/v2/health/live", ctx -> live(HttpCall.of(ctx)));
        app.get("/v2/health/ready", ctx -> ready(HttpCall.of(ctx)));
        app.get("/v2/models/{name}", ctx -> ModelServer.json(ctx, 200, metadata(visibleTarget(ctx, null))));
        app.get("/v2/models/{name}/versions/{version}",
                ctx -> ModelServer.json(ctx, 200, metadata(visibleTarget(ctx, ctx.pathParam("version")))));
        app.get("/v2/models/{name}/ready", ctx -> ModelServer.json(ctx, 200, readiness(visibleTarget(ctx, null))));
        app.get("/v2/models/{name}/versions/{version}/ready",
                ctx -> ModelServer.json(ctx, 200, readiness(visibleTarget(ctx, ctx.pathParam("version")))));
        app.post("/v2/models/{name}/infer", ctx -> infer(HttpCall.of(ctx), ctx.pathParam("name"), null, ctx::future));
        app.post("/v2/models/{name}/versions/{version}/infer",
                ctx -> infer(HttpCall.of(ctx), ctx.pathParam("name"), ctx.pathParam("version"), ctx::future));
    }

    void live(HttpCall call) {
        ModelServer.json(call, 200, LIVE);
    }

    /** Ready unless the server drains; asked once, so that the status and the body cannot disagree. */
    void ready(HttpCall call) {
        boolean ready = ready();
        ModelServer.json(call, ready ? 200 : 503, ready ? READY : NOT_READY);
    }

    /** v1 predict: images or rows through the batcher; a language model writes text. */
    void predict(HttpCall call, String name, HttpCall.Later later) {
        pipeline.serve(call, name, null, predictions(call.contentType()), later);
    }

    /** v1 explain: the first sample's occlusion map or attributions. */
    void explain(HttpCall call, String name, HttpCall.Later later) {
        pipeline.serve(call, name, null, explanation(call.contentType()), later);
    }

    /** Open Inference Protocol v2 infer, of a version when given. */
    void infer(HttpCall call, String name, String version, HttpCall.Later later) {
        pipeline.serve(call, name, version, inference(call.header(V2Codec.HEADER_LENGTH)), later);
    }

    private static byte[] probe(String name, boolean value) {
        return Json.line(Map.of(name, value)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private LiveTarget visibleTarget(Context ctx, String version) {
        return core.target(ctx.pathParam("name"), version, ctx.queryParam("alias"), core.caller(ctx.header("Authorization")));
    }

    private ServingPipeline.Decoder predictions(String contentType) {
        return (target, tenant, body) -> {
            refuseEncoder(target);
            if (target.isLanguageModel()) return completion(target, tenant, body);
            ModelVersion card = target.card();
            return InferenceCore.batched(target, tenant, samples(contentType, body, card),
                    (id, outputs) -> PredictAnswer.encode(id, target.target().deployment(), target.target().alias(), card, outputs));
        };
    }

    /**
     * Text from a language model: {"prompt", "max_tokens", "temperature", "top_k", "top_p", "seed"}; the
     * answer carries the text and the tokens read and written, which is what a per-token plan charges.
     */
    private Work completion(LiveTarget target, String tenant, byte[] body) {
        Predictor predictor = target.predictor();
        CompletionRequest request = CompletionRequest.parse(RequestDecoder.json(body), predictor);
        java.util.concurrent.atomic.AtomicBoolean wanted = new java.util.concurrent.atomic.AtomicBoolean(true);
        return Work.of(1, false, request.promptIds().length + request.maxTokens(), requestId -> target.write(tenant, () -> {
                Completion written = predictor.complete(request.promptIds(), request.maxTokens(), request.sampler(), List.of(),
                        (text, tokens) -> wanted.get());
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("prediction_id", requestId);
                answer.put("model", target.target().deployment());
                answer.put("version", target.card().version());
                answer.put("alias", target.target().alias());
                answer.put("prompt", request.prompt() == null ? "" : request.prompt());
                answer.put("text", written.text());
                answer.put("finish_reason", written.finishReason().wireName());
                answer.put("usage", Map.of("prompt_tokens", written.promptTokens(), "completion_tokens", written.completionTokens()));
                String text = written.text();
                // free text is redacted of PII before a prediction log keeps it
                return new Served(EncodedAnswer.json(answer), 1, written.promptTokens(), written.completionTokens(),
                        written.computeNanos(), 1,
                        () -> loggedText((String) answer.get("prompt"), text));
            }), () -> wanted.set(false));
    }

    /** A prompt and its text as a prediction log keeps them: free text is redacted of personal data first. */
    static LoggedContent loggedText(String prompt, String text) {
        return new LoggedContent.Text(REDACTOR.redact(prompt).text(), REDACTOR.redact(text).text());
    }

    /** A sentence encoder answers only POST /v1/embeddings. */
    static void refuseEncoder(LiveTarget target) {
        if (target.isEncoder()) {
            throw new ApiError(400, "unsupported_for_encoders", "'" + target.target().deployment() + "' is a sentence encoder;"
                    + " send {\"model\": \"" + target.target().deployment() + "\", \"input\": [\"text\", ...]} to POST /v1/embeddings");
        }
    }

    private static void refuseLanguageModel(LiveTarget target, String route) {
        refuseEncoder(target);
        if (target.isLanguageModel()) {
            throw new ApiError(400, "unsupported_for_language_models", route + " takes tensors or images; send a language model"
                + " {\"prompt\": ...} to POST /v1/models/" + target.target().deployment() + "/predict");
        }
    }

    /** A v1 request's samples: uploaded images, a base64 image, or JSON rows. */
    private List<float[]> samples(String contentType, byte[] body, ModelVersion card) {
        return samples(contentType, body, card, Integer.MAX_VALUE);
    }

    /**
     * The same, decoding at most {@code most} uploaded images (the first ones). The images of one form share a
     * budget of pixels, all of them charged whatever is decoded: the body limit counts their bytes, not what they
     * decode to.
     */
    private List<float[]> samples(String contentType, byte[] body, ModelVersion card, int most) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/form-data")) {
            return RequestDecoder.v1(body, card, options.maxImagePixels());
        }
        List<MultipartForm.FilePart> files = MultipartForm.files(body, contentType, options.maxRequestRows());
        if (files.isEmpty()) {
            throw new ApiError(400, "missing_field", "the form has no file; upload the image as field \"image\"");
        }
        return RequestDecoder.images(files, card, options.maxImagePixels(), most);
    }

    /**
     * An occlusion map (images) or per-feature attributions (rows) for the first sample of the request.
     * It runs the model many times outside the batcher, and is charged as one prediction with the compute
     * it took.
     */
    private ServingPipeline.Decoder explanation(String contentType) {
        return (target, tenant, body) -> {
            refuseLanguageModel(target, "explain");
            ModelVersion card = target.card();
            // only the first sample is explained: the form's other images are not decoded
            float[] sample = samples(contentType, body, card, 1).get(0);
            return Work.of(1, true, requestId -> {
                long start = System.nanoTime();
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("prediction_id", requestId);
                answer.put("model", target.target().deployment());
                answer.put("version", card.version());
                float[] output = target.predictor().predict(sample, 1)[0];
                ApiError notFinite = InferenceCore.nonFinite(List.of(output));
                if (notFinite != null) return CompletableFuture.failedFuture(notFinite);
                Map<String, Object> prediction = new LinkedHashMap<>();
                prediction.put("id", new PredictionId(requestId, 0).toString());
                prediction.putAll(Predictions.describe(output, card));
                answer.put("prediction", prediction);
                List<Integer> shape = card.inputShape();
                Explanation explanation = target.predictor().explain(sample);
                if (explanation instanceof Explanation.Occlusion map) {
                    answer.put("method", "occlusion");
                    answer.put("class", map.classIndex());
                    answer.put("patch", map.patch());
                    answer.put("stride", map.stride());
                    answer.put("map", map.drop());
                    answer.put("png", java.util.Base64.getEncoder().encodeToString(io.moxing.chart.Charts.png(
                            io.moxing.chart.HeatMap.overlay(sample, shape.get(0), shape.get(1), shape.get(2), map.drop(),
                                    map.patch(), map.stride(), 8))));
                } else if (explanation instanceof Explanation.Attributions attributions) {
                    answer.put("method", "feature_ablation");
                    answer.put("attributions", attributions.features());
                }
                return CompletableFuture.completedFuture(new Served(EncodedAnswer.json(answer), 1, 0, 0,
                        System.nanoTime() - start, 1, () -> new LoggedContent.Tensors(1, sample.length, sample, output.length, output)));
            });
        };
    }

    /** One input tensor of [batch, ...the model's input shape], its JSON header {@code header} bytes long when binary. */
    private ServingPipeline.Decoder inference(String header) {
        return (target, tenant, body) -> {
            refuseLanguageModel(target, "v2 infer");
            V2Request request = V2Codec.decode(body, header, target.card(), tenant, v2Headers);
            return InferenceCore.batched(target, tenant, request.samples(), (requestId, outputs) ->
                    V2Codec.encode(request, requestId, target.target().deployment(), target.card().version(), outputs));
        };
    }

    private boolean ready() {
        return !draining.getAsBoolean();
    }

    private Map<String, Object> metadata(LiveTarget t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.target().deployment());
        m.put("versions", live.targets(t.target().deployment()).stream().map(x -> Integer.toString(x.card().version())).toList());
        if (t.isEncoder()) {
            m.put("platform", "onnxruntime_onnx");
            m.put("inputs", List.of(Map.of("name", "input", "datatype", "BYTES", "shape", List.of(-1))));
            m.put("outputs", List.of(Map.of("name", "embedding", "datatype", "FP32",
                    "shape", List.of(-1, t.encoder().dimensions()))));
            return m;
        }
        m.put("platform", "moxing_djl_pytorch");
        List<Object> inputShape = new ArrayList<>();
        inputShape.add(-1);
        inputShape.addAll(t.card().inputShape());
        m.put("inputs", List.of(Map.of("name", "input", "datatype", "FP32", "shape", inputShape)));
        int outputs = t.predictor().outputWidth();
        m.put("outputs", List.of(Map.of("name", "output", "datatype", "FP32", "shape", List.of(-1, outputs))));
        return m;
    }

    private Map<String, Object> readiness(LiveTarget t) {
        return Map.of("name", t.target().deployment(), "ready", ready());
    }
}
