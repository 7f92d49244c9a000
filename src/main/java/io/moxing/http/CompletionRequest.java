package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.generate.Sampler;
import io.moxing.text.TokenCorpus;
import io.moxing.text.Tokenizer;
import java.util.List;

/**
 * A request to a language model: {"prompt", "max_tokens", "temperature", "top_k", "top_p", "seed"}, checked
 * field by field against what the model can do.
 */
record CompletionRequest(String prompt, int[] promptIds, int maxTokens, Sampler sampler) {
    static final int MAX_TOKENS = 2048;

    static CompletionRequest parse(JsonNode body, Tokenizer tokenizer) {
        if (!body.isObject()) throw new ApiError(400, "invalid_json", "the body must be a JSON object with a \"prompt\"");
        JsonNode p = body.get("prompt");
        if (p != null && !p.isNull() && !p.isTextual()) {
            throw new ApiError(400, "invalid_field", "field \"prompt\" must be a string");
        }
        String prompt = p == null || p.isNull() || p.asText().isEmpty() ? null : p.asText();
        String text = prompt == null ? TokenCorpus.ENTRY_SEPARATOR.stripLeading() : prompt;
        List<String> unknown = tokenizer.unknownCharacters(text);
        if (!unknown.isEmpty()) {
            throw new ApiError(400, "unknown_characters", "field \"prompt\" has characters the model never saw in training: "
                    + String.join(" ", unknown.subList(0, Math.min(10, unknown.size()))) + "; rephrase without them");
        }
        int maxTokens = (int) number(body, "max_tokens", 100, 1, MAX_TOKENS, true);
        double temperature = number(body, "temperature", 0.8, 0, 5, false);
        int topK = (int) number(body, "top_k", 0, 0, 1_000_000, true);
        double topP = number(body, "top_p", 1.0, 1e-6, 1, false);
        JsonNode s = body.get("seed");
        if (s != null && !s.isNull() && !(s.isIntegralNumber() && s.canConvertToLong())) {
            throw new ApiError(400, "invalid_field", "field \"seed\" must be a whole number (the same seed writes the same text)");
        }
        long seed = s == null || s.isNull() ? java.util.concurrent.ThreadLocalRandom.current().nextLong() : s.asLong();
        return new CompletionRequest(prompt, tokenizer.encode(text), maxTokens, new Sampler(temperature, topK, topP, seed));
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max, boolean whole) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber() || (whole && !(v.isIntegralNumber() && v.canConvertToLong()))) {
            throw new ApiError(400, "invalid_field", "field \"" + field + "\" must be " + (whole ? "a whole number" : "a number"));
        }
        double d = v.asDouble();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw new ApiError(400, "invalid_field", "field \"" + field + "\" must be between " + trim(min) + " and " + trim(max));
        }
        return d;
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
