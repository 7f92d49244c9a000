package io.moxing.http;

import io.moxing.generate.Completion;
import io.moxing.generate.FinishReason;
import io.moxing.http.InferenceCore.EventSink;
import io.moxing.http.InferenceCore.Served;
import io.moxing.core.Json;
import io.moxing.predict.Predictor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One OpenAI completion or chat completion written by a language model, whole or streamed, in OpenAI's
 * shapes: {@code chat.completion} and {@code text_completion} objects with their usage, or their chunks — for
 * a chat the first carries the role, the last of each choice its finish_reason, and with include_usage one
 * more with no choices carries the usage. Runs on the target's writer.
 */
final class OpenAiAnswer {
    enum Kind {
        CHAT("chat.completion", "chat.completion.chunk", "chatcmpl-"), TEXT("text_completion", "text_completion", "cmpl-");

        final String object;
        final String chunkObject;
        final String idPrefix;

        Kind(String object, String chunkObject, String idPrefix) {
            this.object = object;
            this.chunkObject = chunkObject;
            this.idPrefix = idPrefix;
        }
    }

    /** One choice to write: the prompt's tokens, and its text (shown again with echo, kept by a prediction log). */
    record Choice(String prompt, int[] promptIds) {}

    private final Kind kind;
    private final String model;
    private final int version;
    private final Predictor predictor;
    private final OpenAiRequest request;
    private final List<Choice> choices;
    private final List<String> stop;
    private final long created = System.currentTimeMillis() / 1000;

    OpenAiAnswer(Kind kind, String model, int version, Predictor predictor, OpenAiRequest request, List<Choice> choices,
                 List<String> stop) {
        this.kind = kind;
        this.model = model;
        this.version = version;
        this.predictor = predictor;
        this.request = request;
        this.choices = choices;
        this.stop = stop;
    }

    /** The whole answer, as one JSON object. */
    Served whole(String requestId) {
        return whole(requestId, () -> true);
    }

    /** The whole answer; writing stops early (its choices cut short) once {@code wanted} says no. */
    Served whole(String requestId, java.util.function.BooleanSupplier wanted) {
        List<Object> out = new ArrayList<>();
        List<Completion> done = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            Completion c = predictor.complete(choices.get(i).promptIds(), request.maxTokens(), request.sampler(), stop,
                    (text, tokens) -> wanted.getAsBoolean());
            done.add(c);
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", i);
            if (kind == Kind.CHAT) {
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("role", "assistant");
                message.put("content", c.text());
                message.put("refusal", null);
                choice.put("message", message);
            } else {
                choice.put("text", (request.echo() ? choices.get(i).prompt() : "") + c.text());
            }
            choice.put("logprobs", null);
            choice.put("finish_reason", c.finishReason().wireName());
            out.add(choice);
        }
        Map<String, Object> answer = head(requestId, kind.object);
        answer.put("choices", out);
        answer.put("usage", usage(done));
        answer.put("prediction_id", requestId);
        answer.put("version", version);
        return served(done, EncodedAnswer.json(answer));
    }

    /**
     * The answer as chunks to {@code sink}, each queued as soon as it is known (a chat's content chunk waits for
     * the next, so that the last can carry the finish_reason). Stops when the client has gone.
     */
    Served streamed(String requestId, EventSink sink) {
        List<Completion> done = new ArrayList<>();
        int sent = 0;
        sink.begin();
        if (kind == Kind.CHAT && !sink.send(chunk(requestId, 0, Map.of("role", "assistant", "content", ""), null), 0)) {
            return served(done, null);
        }
        for (int i = 0; i < choices.size(); i++) {
            int index = i;
            int before = sent;
            if (request.echo() && !sink.send(chunk(requestId, i, choices.get(i).prompt(), null), before)) break;
            String[] held = {null};
            int[] heldTokens = {0};
            Completion c = predictor.complete(choices.get(i).promptIds(), request.maxTokens(), request.sampler(), stop,
                    (text, tokens) -> {
                        if (text.isEmpty()) return sink.open();
                        if (held[0] != null && !sink.send(chunk(requestId, index, content(held[0]), null), before + heldTokens[0])) {
                            return false;
                        }
                        held[0] = text;
                        heldTokens[0] = tokens;
                        return true;
                    });
            done.add(c);
            if (c.finishReason() == FinishReason.CANCELLED) return served(done, null);
            sent += c.completionTokens();
            Object last = held[0] == null ? (kind == Kind.CHAT ? Map.of() : "") : content(held[0]);
            if (!sink.send(chunk(requestId, i, last, c.finishReason().wireName()), sent)) return served(done, null);
        }
        if (request.includeUsage() && done.size() == choices.size()) {
            Map<String, Object> usage = head(requestId, kind.chunkObject);
            usage.put("choices", List.of());
            usage.put("usage", usage(done));
            sink.send(Json.line(usage), sent);
        }
        return served(done, null);
    }

    private Object content(String text) {
        return kind == Kind.CHAT ? Map.of("content", text) : text;
    }

    /** A chunk of one choice: a chat's delta or a completion's text, and its finish_reason on its last chunk. */
    private String chunk(String requestId, int index, Object delta, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", index);
        choice.put(kind == Kind.CHAT ? "delta" : "text", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> chunk = head(requestId, kind.chunkObject);
        chunk.put("choices", List.of(choice));
        return Json.line(chunk);
    }

    private Map<String, Object> head(String requestId, String object) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", kind.idPrefix + requestId);
        m.put("object", object);
        m.put("created", created);
        m.put("model", model);
        m.put("system_fingerprint", null);
        return m;
    }

    private static Map<String, Object> usage(List<Completion> done) {
        int in = done.stream().mapToInt(Completion::promptTokens).sum();
        int out = done.stream().mapToInt(Completion::completionTokens).sum();
        return Map.of("prompt_tokens", in, "completion_tokens", out, "total_tokens", in + out);
    }

    /** What was served: the tokens read and written (a stream's record counts the tokens sent instead). */
    private Served served(List<Completion> done, EncodedAnswer answer) {
        int in = done.stream().mapToInt(Completion::promptTokens).sum();
        int out = done.stream().mapToInt(Completion::completionTokens).sum();
        long nanos = done.stream().mapToLong(Completion::computeNanos).sum();
        StringBuilder prompts = new StringBuilder();
        StringBuilder texts = new StringBuilder();
        for (int i = 0; i < done.size(); i++) {
            prompts.append(i == 0 ? "" : "\n").append(choices.get(i).prompt());
            texts.append(i == 0 ? "" : "\n").append(done.get(i).text());
        }
        return new Served(answer, 1, in, out, nanos, 1, () -> InferenceRoutes.loggedText(prompts.toString(), texts.toString()));
    }
}
