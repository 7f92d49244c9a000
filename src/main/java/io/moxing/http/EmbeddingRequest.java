package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's embeddings request: {"model", "input": a string or a list of strings, "encoding_format": "float" |
 * "base64", "dimensions", "user"}, checked field by field. Token arrays (OpenAI also takes lists of token ids,
 * which only mean something to OpenAI's tokenizer) are refused with a 400 that says to send text.
 *
 * @param dimensions the width asked for, or null (a model answers only its own width)
 */
record EmbeddingRequest(String model, List<String> input, boolean base64, Integer dimensions) {
    /** OpenAI's own limit of inputs per request; the server's --max-request-rows may be lower. */
    static final int MAX_INPUTS = 2048;

    /** The body's "model" (what the pipeline routes on before anything else is checked). */
    static String model(JsonNode body) {
        if (!body.isObject()) throw invalid("the body must be a JSON object with \"model\" and \"input\"");
        JsonNode m = body.get("model");
        if (m == null || m.isNull()) {
            throw new ApiError(400, "missing_field", "field \"model\" is missing: name the deployment, e.g. \"all-minilm-l6-v2\"");
        }
        if (!m.isTextual() || m.asText().isBlank()) throw invalid("field \"model\" must be a deployment's name");
        return m.asText();
    }

    static EmbeddingRequest parse(JsonNode body) {
        String model = model(body);
        JsonNode in = body.get("input");
        if (in == null || in.isNull()) {
            throw new ApiError(400, "missing_field", "field \"input\" is missing: send a string or a list of strings");
        }
        List<String> input = new ArrayList<>();
        if (in.isTextual()) {
            input.add(text(in, "input"));
        } else if (in.isArray()) {
            if (in.isEmpty()) throw invalid("field \"input\" is an empty list; send at least one string");
            if (in.size() > MAX_INPUTS) {
                throw invalid("field \"input\" holds " + in.size() + " strings; at most " + MAX_INPUTS + " per request: split it");
            }
            for (int i = 0; i < in.size(); i++) input.add(text(in.get(i), "input[" + i + "]"));
        } else {
            throw invalid("field \"input\" must be a string or a list of strings");
        }
        JsonNode f = body.get("encoding_format");
        boolean base64 = false;
        if (f != null && !f.isNull()) {
            if (!f.isTextual() || !(f.asText().equals("float") || f.asText().equals("base64"))) {
                throw invalid("field \"encoding_format\" must be \"float\" or \"base64\"");
            }
            base64 = f.asText().equals("base64");
        }
        JsonNode d = body.get("dimensions");
        Integer dimensions = null;
        if (d != null && !d.isNull()) {
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 1) {
                throw invalid("field \"dimensions\" must be a positive whole number");
            }
            dimensions = d.asInt();
        }
        JsonNode user = body.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) throw invalid("field \"user\" must be a string");
        return new EmbeddingRequest(model, List.copyOf(input), base64, dimensions);
    }

    private static String text(JsonNode node, String field) {
        if (node.isNumber() || node.isArray()) {
            throw invalid("field \"" + field + "\" is a token id or a list of them; this server takes text only (token ids"
                    + " mean something only to the tokenizer that made them): send the string itself");
        }
        if (!node.isTextual()) throw invalid("field \"" + field + "\" must be a string");
        if (node.asText().isEmpty()) throw invalid("field \"" + field + "\" is an empty string; send some text");
        return node.asText();
    }

    private static ApiError invalid(String message) {
        return new ApiError(400, "invalid_field", message);
    }
}
