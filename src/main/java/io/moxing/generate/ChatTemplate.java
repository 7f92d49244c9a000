package io.moxing.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.text.TokenCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a chat becomes the text a language model continues. A template is a small JSON file:
 * <pre>
 * {"format_version": 1,
 *  "system": "### System\n{content}\n", "user": "### User\n{content}\n", "assistant": "### Assistant\n{content}\n",
 *  "generation_prompt": "### Assistant\n", "stop": ["### User"]}
 * </pre>
 * Each message is its role's pattern with {@code {content}} replaced by the message; the prompt is the messages
 * in order followed by {@code generation_prompt}; the answer ends at the first of {@code stop} (at most 4).
 * A model deployed without a template gets {@link #DEFAULT}: each message on its own line, and the answer
 * stopped at Moxing's entry separator, where a model trained on an imported corpus learned that a text ends.
 */
public record ChatTemplate(String system, String user, String assistant, String generationPrompt, List<String> stop) {
    public static final int FORMAT_VERSION = 1;
    private static final String CONTENT = "{content}";
    private static final Set<String> FIELDS = Set.of("format_version", "system", "user", "assistant", "generation_prompt", "stop");

    public static final ChatTemplate DEFAULT = new ChatTemplate(CONTENT + "\n", CONTENT + "\n", CONTENT
            + TokenCorpus.ENTRY_SEPARATOR, "", List.of(TokenCorpus.ENTRY_SEPARATOR));

    public ChatTemplate {
        for (String[] p : new String[][] {{"system", system}, {"user", user}, {"assistant", assistant}}) {
            if (p[1] == null || p[1].indexOf(CONTENT) < 0 || p[1].indexOf(CONTENT) != p[1].lastIndexOf(CONTENT)) {
                throw new UserException("invalid_chat_template", "chat template: \"" + p[0] + "\" must hold {content} exactly"
                        + " once, e.g. \"" + p[0] + ": {content}\\n\"");
            }
        }
        generationPrompt = generationPrompt == null ? "" : generationPrompt;
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (stop.size() > 4 || stop.stream().anyMatch(String::isEmpty)) {
            throw new UserException("invalid_chat_template", "chat template: \"stop\" holds at most 4 non-empty strings");
        }
    }

    /** Reads a template file's text; every mistake names the field and the fix. */
    public static ChatTemplate parse(String text) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserException("invalid_chat_template", "chat template is not JSON (" + e.getOriginalMessage()
                    + "); see the format in README.md, section 'OpenAI-compatible API'");
        }
        if (json == null || !json.isObject()) {
            throw new UserException("invalid_chat_template", "chat template must be a JSON object with system, user,"
                    + " assistant, generation_prompt and stop");
        }
        List<String> unknown = new ArrayList<>();
        json.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) unknown.add(f);
        });
        if (!unknown.isEmpty()) {
            throw new UserException("invalid_chat_template", "chat template has unknown fields " + unknown + "; the fields are "
                    + FIELDS);
        }
        int version = json.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new UserException("invalid_chat_template", "chat template format_version must be " + FORMAT_VERSION
                    + ", got " + json.path("format_version"));
        }
        List<String> stop = new ArrayList<>();
        JsonNode s = json.path("stop");
        if (s.isTextual()) stop.add(s.asText());
        else if (s.isArray()) s.forEach(x -> stop.add(x.asText()));
        else if (!s.isMissingNode() && !s.isNull()) {
            throw new UserException("invalid_chat_template", "chat template \"stop\" must be a string or a list of strings");
        }
        return new ChatTemplate(text(json, "system"), text(json, "user"), text(json, "assistant"),
                json.path("generation_prompt").isMissingNode() ? "" : text(json, "generation_prompt"), stop);
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual()) {
            throw new UserException("invalid_chat_template", "chat template \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    /** The text the model continues for {@code messages}. */
    public String render(List<ChatMessage> messages) {
        StringBuilder b = new StringBuilder();
        for (ChatMessage m : messages) {
            String pattern = switch (m.role()) {
                case SYSTEM -> system;
                case USER -> user;
                case ASSISTANT -> assistant;
            };
            b.append(pattern.replace(CONTENT, m.content()));
        }
        return b.append(generationPrompt).toString();
    }
}
