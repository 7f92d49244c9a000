package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.generate.Sampler;
import io.moxing.predict.Predictor;
import io.moxing.text.TokenCorpus;

/**
 * A request to a language model on Moxing's native route: {"prompt", "max_tokens", "temperature", "top_k",
 * "top_p", "seed"}, checked field by field against what the model can do. The field rules are shared with
 * {@link OpenAiRequest}.
 */
record CompletionRequest(String prompt, int[] promptIds, int maxTokens, Sampler sampler) {
    static final int MAX_TOKENS = 2048;

    static CompletionRequest parse(JsonNode body, Predictor predictor) {
        if (!body.isObject()) throw new ApiError(400, "invalid_json", "the body must be a JSON object with a \"prompt\"");
        JsonNode p = body.get("prompt");
        if (p != null && !p.isNull() && !p.isTextual()) {
            throw new ApiError(400, "invalid_field", "field \"prompt\" must be a string", "prompt");
        }
        String prompt = p == null || p.isNull() || p.asText().isEmpty() ? null : p.asText();
        int[] ids = promptIds(predictor, prompt, "prompt");
        int maxTokens = (int) number(body, "max_tokens", 100, 1, MAX_TOKENS, true);
        double temperature = number(body, "temperature", 0.8, 0, 5, false);
        int topK = (int) number(body, "top_k", 0, 0, 1_000_000, true);
        double topP = number(body, "top_p", 1.0, 1e-6, 1, false);
        return new CompletionRequest(prompt, ids, maxTokens, new Sampler(temperature, topK, topP, seed(body)));
    }

    /**
     * A prompt's tokens (an empty prompt starts a new entry). Characters the model never saw become its unknown
     * token (or bytes) rather than a refusal; a prompt longer than the model's context is refused.
     */
    static int[] promptIds(Predictor predictor, String prompt, String field) {
        int[] ids = predictor.encode(prompt == null || prompt.isEmpty() ? TokenCorpus.ENTRY_SEPARATOR.stripLeading() : prompt);
        if (ids.length > predictor.context()) {
            throw new ApiError(400, "context_length_exceeded", "the prompt is " + ids.length + " tokens and this model reads"
                    + " at most " + predictor.context() + "; shorten it", field);
        }
        return ids;
    }

    /** The request's seed, or a random one: the same seed writes the same text. */
    static long seed(JsonNode body) {
        JsonNode s = body.get("seed");
        if (s != null && !s.isNull() && !(s.isIntegralNumber() && s.canConvertToLong())) {
            throw new ApiError(400, "invalid_field", "field \"seed\" must be a whole number (the same seed writes the same text)",
                    "seed");
        }
        return s == null || s.isNull() ? java.util.concurrent.ThreadLocalRandom.current().nextLong() : s.asLong();
    }

    static double number(JsonNode body, String field, double fallback, double min, double max, boolean whole) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber() || (whole && !(v.isIntegralNumber() && v.canConvertToLong()))) {
            throw new ApiError(400, "invalid_field", "field \"" + field + "\" must be " + (whole ? "a whole number" : "a number"),
                    field);
        }
        double d = v.asDouble();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw new ApiError(400, "invalid_field", "field \"" + field + "\" must be between " + trim(min) + " and " + trim(max),
                    field);
        }
        return d;
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
