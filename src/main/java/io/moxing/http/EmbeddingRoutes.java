package io.moxing.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.http.InferenceCore.Served;
import io.moxing.http.InferenceCore.Work;
import io.moxing.predict.InputTooLongException;
import io.moxing.predict.SentenceEncoder;
import io.moxing.serve.LiveTarget;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI's POST /v1/embeddings over a deployed sentence encoder: the body names the deployment ("model") and
 * sends texts ("input"); each text's vector (unit length) comes back as numbers or as base64 of little-endian
 * float32, with the tokens read as usage. A request's texts run together on one of the deployment's workers,
 * padded into batches by length ({@link SentenceEncoder}). Key, visibility, rate limit, quota, idempotency and
 * metering are every inference route's ({@link ServingPipeline}, {@link InferenceCore}): each text is one
 * prediction, and its tokens are the record's tokens in.
 */
final class EmbeddingRoutes {
    /**
     * The most tokens one request may carry over all its texts: 2.4 s of two cores for MiniLM, ~5 s for
     * bge-small-zh (measured on the 2-core machine). OpenAI's limit is higher (300,000); a larger job is
     * several requests.
     */
    static final int MAX_REQUEST_TOKENS = 32_768;
    private final ServingPipeline pipeline;

    EmbeddingRoutes(ServingPipeline pipeline) {
        this.pipeline = pipeline;
    }

    void register(Javalin app) {
        app.post("/v1/embeddings", this::serve);
    }

    private void serve(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'"
                    + (type.isEmpty() ? "" : ", not " + type));
        }
        // the body is parsed once: the pipeline routes on its "model", the work is made from the rest
        EmbeddingRequest[] parsed = new EmbeddingRequest[1];
        pipeline.serveNamedInBody(HttpCall.of(ctx), body -> (parsed[0] = EmbeddingRequest.parse(RequestDecoder.json(body))).model(),
                (target, tenant, body) -> work(target, tenant, parsed[0]), ctx::future);
    }

    private static Work work(LiveTarget target, String tenant, EmbeddingRequest request) {
        String name = target.target().deployment();
        if (!target.isEncoder()) {
            throw new ApiError(400, "not_an_encoder", "'" + name + "' is a " + target.card().task() + " model and makes no"
                    + " embeddings; deploy a sentence encoder (moxing models import-embedding all-minilm-l6-v2, then"
                    + " moxing deploy all-minilm-l6-v2)");
        }
        SentenceEncoder encoder = target.encoder();
        if (request.dimensions() != null && request.dimensions() != encoder.dimensions()) {
            throw new ApiError(400, "unsupported_dimensions", "'" + name + "' answers " + encoder.dimensions()
                    + "-dimensional vectors and cannot shorten them; leave \"dimensions\" out or send "
                    + encoder.dimensions());
        }
        // counted before the work starts, so that a key whose rate counts tokens pays for them up front
        SentenceEncoder.Tokens tokens;
        try {
            tokens = encoder.tokenize(request.input());
        } catch (InputTooLongException e) {
            throw new ApiError(400, e.code(), e.getMessage());
        }
        int total = tokens.total();
        if (total > MAX_REQUEST_TOKENS) {
            throw new ApiError(400, "request_too_long", "the request's texts are " + total + " tokens in all; at most "
                    + MAX_REQUEST_TOKENS + " per request: send them in several requests");
        }
        return Work.of(request.input().size(), true, total, requestId -> target.write(tenant, () -> {
            long start = System.nanoTime();
            float[][] vectors = encoder.embed(tokens);
            long nanos = System.nanoTime() - start;
            // a prediction log keeps the texts, redacted of personal data; the vectors are the version's to recompute
            return new Served(EncodedAnswer.json(answer(requestId, target, vectors, request.base64(), total)),
                    vectors.length, total, 0, nanos, vectors.length,
                    () -> InferenceRoutes.loggedText(String.join("\n", request.input()), ""));
        }));
    }

    /** OpenAI's answer, with Moxing's prediction id and version beside it. */
    private static Map<String, Object> answer(String requestId, LiveTarget target, float[][] vectors, boolean base64,
                                              int tokens) {
        List<Map<String, Object>> data = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("object", "embedding");
            one.put("index", i);
            one.put("embedding", base64 ? base64(vectors[i]) : vectors[i]);
            data.add(one);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("object", "list");
        answer.put("data", data);
        answer.put("model", target.target().deployment());
        answer.put("usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens));
        answer.put("prediction_id", requestId);
        answer.put("version", target.card().version());
        return answer;
    }

    /** The vector as OpenAI's base64 encoding: its float32 values, little-endian, end to end. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
