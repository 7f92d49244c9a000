package io.moxing.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.AtomicFiles;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns text into token ids and back. A tokenizer is fitted on a training corpus and saved with the
 * model as JSON ({@code kind} plus its vocabulary), so generation decodes exactly as training encoded.
 */
public interface Tokenizer {

    String kind();

    int vocabularySize();

    /** Token ids of the text; text the tokenizer cannot represent becomes the unknown token. */
    int[] encode(String text);

    String decode(int[] ids);

    /** The characters of {@code text} this tokenizer has never seen (none for byte-level BPE). */
    List<String> unknownCharacters(String text);

    JsonNode toJson();

    default void save(Path file) {
        AtomicFiles.writeJson(file, toJson());
    }

    static Tokenizer load(Path file) {
        JsonNode json = Json.read(file, JsonNode.class);
        return switch (json.path("kind").asText()) {
            case CharTokenizer.KIND -> CharTokenizer.fromJson(json);
            case BpeTokenizer.KIND -> BpeTokenizer.fromJson(json);
            default -> throw new UserException("unsupported_format", file + ": unknown tokenizer kind '"
                    + json.path("kind").asText() + "'; expected char or bpe");
        };
    }
}
