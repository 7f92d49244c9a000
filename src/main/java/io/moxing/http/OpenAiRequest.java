package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.UserException;
import io.moxing.generate.ChatMessage;
import io.moxing.generate.ChatRole;
import io.moxing.generate.Sampler;
import java.util.ArrayList;
import java.util.List;

/**
 * A body of OpenAI's /v1/chat/completions or /v1/completions, checked field by field; every refusal names the
 * field as OpenAI's {@code param}. Fields that would change what is asked and that Moxing cannot do (n or best_of
 * other than 1, tools, log-probabilities, logit biases, a suffix, a JSON response format) are refused rather than
 * ignored; the rest that OpenAI defines (user, penalties within -2..2, ...) are accepted and do not change the
 * answer.
 *
 * @param messages the chat, or null for a completion
 * @param prompts  a completion's prompts (one choice each), or null for a chat
 */
record OpenAiRequest(List<ChatMessage> messages, List<String> prompts, int maxTokens, double temperature,
                     double topP, long seed, List<String> stop, boolean stream, boolean includeUsage, boolean echo) {
    static final int DEFAULT_MAX_TOKENS = 256;

    /** The deployment a body names, before anything else is read of it (400 when it names none). */
    static String model(JsonNode body) {
        if (!body.isObject()) throw new ApiError(400, "invalid_json", "the body must be a JSON object with \"model\"");
        JsonNode m = body.get("model");
        if (m == null || !m.isTextual() || m.asText().isBlank()) {
            throw new ApiError(400, "missing_field", "field \"model\" must name a deployed model; GET /v1/models lists them",
                    "model");
        }
        return m.asText();
    }

    static OpenAiRequest chat(JsonNode body) {
        JsonNode list = body.get("messages");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ApiError(400, "invalid_field", "field \"messages\" must be a non-empty list of {\"role\", \"content\"}",
                    "messages");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) throw new ApiError(400, "invalid_field", at + " must be an object {\"role\", \"content\"}", at);
            ChatRole role;
            try {
                role = ChatRole.parse(m.path("role").asText(null));
            } catch (UserException e) {
                throw new ApiError(400, "invalid_role", at + ": " + e.getMessage(), at + ".role");
            }
            messages.add(new ChatMessage(role, content(m.get("content"), at + ".content")));
        }
        int maxTokens = body.hasNonNull("max_completion_tokens") ? maxTokens(body, "max_completion_tokens")
                : maxTokens(body, "max_tokens");
        return common(body, messages, null, maxTokens, false);
    }

    static OpenAiRequest completion(JsonNode body) {
        JsonNode p = body.get("prompt");
        List<String> prompts = new ArrayList<>();
        if (p == null || p.isNull()) {
            prompts.add("");
        } else if (p.isTextual()) {
            prompts.add(p.asText());
        } else if (p.isArray() && !p.isEmpty() && p.size() <= 16) {
            for (JsonNode x : p) {
                if (!x.isTextual()) {
                    throw new ApiError(400, "invalid_field", "field \"prompt\" must be a string or a list of strings"
                            + " (token arrays are not supported)", "prompt");
                }
                prompts.add(x.asText());
            }
        } else {
            throw new ApiError(400, "invalid_field", "field \"prompt\" must be a string or a list of 1 to 16 strings", "prompt");
        }
        return common(body, null, prompts, maxTokens(body, "max_tokens"), flag(body, "echo"));
    }

    private static OpenAiRequest common(JsonNode body, List<ChatMessage> messages, List<String> prompts, int maxTokens,
                                        boolean echo) {
        double n = CompletionRequest.number(body, "n", 1, 1, 128, true);
        if (n != 1) throw new ApiError(400, "unsupported_value", "field \"n\" must be 1: Moxing writes one choice a request", "n");
        for (String field : new String[] {"tools", "functions", "tool_choice", "function_call"}) {
            if (body.hasNonNull(field)) {
                throw new ApiError(400, "unsupported_parameter", "field \"" + field + "\" is not supported: Moxing's models do"
                        + " not call tools", field);
            }
        }
        // asked of the text, and not something Moxing does: refused rather than answered as if it had been
        if (CompletionRequest.number(body, "best_of", 1, 1, 128, true) != 1) {
            throw new ApiError(400, "unsupported_value", "field \"best_of\" must be 1: Moxing writes one text a request",
                    "best_of");
        }
        JsonNode bias = body.get("logit_bias");
        if (bias != null && !bias.isNull() && !(bias.isObject() && bias.isEmpty())) {
            throw new ApiError(400, "unsupported_parameter", "field \"logit_bias\" is not supported", "logit_bias");
        }
        JsonNode suffix = body.get("suffix");
        if (suffix != null && !suffix.isNull() && !(suffix.isTextual() && suffix.asText().isEmpty())) {
            throw new ApiError(400, "unsupported_parameter", "field \"suffix\" is not supported: Moxing writes after the"
                    + " prompt, not into it", "suffix");
        }
        // accepted and without effect, as the class says, but only within OpenAI's own range
        CompletionRequest.number(body, "presence_penalty", 0, -2, 2, false);
        CompletionRequest.number(body, "frequency_penalty", 0, -2, 2, false);
        JsonNode logprobs = body.get("logprobs");
        if (logprobs != null && !logprobs.isNull() && !(logprobs.isBoolean() && !logprobs.asBoolean())) {
            throw new ApiError(400, "unsupported_parameter", "field \"logprobs\" is not supported", "logprobs");
        }
        JsonNode format = body.path("response_format").path("type");
        if (!format.isMissingNode() && !"text".equals(format.asText())) {
            throw new ApiError(400, "unsupported_parameter", "response_format \"" + format.asText() + "\" is not supported;"
                    + " only \"text\"", "response_format");
        }
        JsonNode user = body.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw new ApiError(400, "invalid_field", "field \"user\" must be a string", "user");
        }
        double temperature = CompletionRequest.number(body, "temperature", 1.0, 0, 2, false);
        double topP = CompletionRequest.number(body, "top_p", 1.0, 1e-6, 1, false);
        boolean stream = flag(body, "stream");
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull() && !stream) {
            throw new ApiError(400, "invalid_field", "field \"stream_options\" is only allowed with \"stream\": true",
                    "stream_options");
        }
        boolean includeUsage = options != null && options.path("include_usage").asBoolean(false);
        return new OpenAiRequest(messages, prompts, maxTokens, temperature, topP, CompletionRequest.seed(body),
                stop(body), stream, includeUsage, echo);
    }

    /** A sampler for one choice (temperature 0 is greedy: the seed then does not matter). */
    Sampler sampler() {
        return new Sampler(temperature, 0, topP, seed);
    }

    private static int maxTokens(JsonNode body, String field) {
        return (int) CompletionRequest.number(body, field, DEFAULT_MAX_TOKENS, 1, CompletionRequest.MAX_TOKENS, true);
    }

    private static boolean flag(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) {
            throw new ApiError(400, "invalid_field", "field \"" + field + "\" must be true or false", field);
        }
        return v.asBoolean();
    }

    /** OpenAI's stop: a string or a list of up to 4 strings. */
    private static List<String> stop(JsonNode body) {
        JsonNode s = body.get("stop");
        if (s == null || s.isNull()) return List.of();
        if (s.isTextual()) return s.asText().isEmpty() ? List.of() : List.of(s.asText());
        ApiError bad = new ApiError(400, "invalid_field", "field \"stop\" must be a string or a list of up to 4 strings", "stop");
        if (!s.isArray() || s.size() > 4) throw bad;
        List<String> out = new ArrayList<>();
        for (JsonNode x : s) {
            if (!x.isTextual()) throw bad;
            if (!x.asText().isEmpty()) out.add(x.asText());
        }
        return out;
    }

    /** A message's content: a string, or a list of text parts (other parts, such as images, are refused). */
    private static String content(JsonNode content, String at) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (content.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new ApiError(400, "invalid_field", at + " may hold only text parts {\"type\": \"text\", \"text\": ...}", at);
                }
                b.append(part.get("text").asText());
            }
            return b.toString();
        }
        throw new ApiError(400, "invalid_field", at + " must be a string or a list of text parts", at);
    }
}
