package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a sentence encoder's card adds to {@link ModelVersion}: its files in the version's directory, the width
 * of the vectors it answers, the most tokens one text may have (special tokens included), how token vectors
 * become the text's vector, and whether texts may run together in one padded batch: a graph quantised with
 * dynamic (per-tensor) scales, like the int8 MiniLM, gives a text a slightly different vector beside other texts
 * (measured at import), so such a model runs one text at a time. Its vectors are always scaled to length 1.
 */
public record EncoderCard(
        @JsonProperty("onnx_file") String onnxFile,
        @JsonProperty("tokenizer_file") String tokenizerFile,
        int dimensions,
        @JsonProperty("max_tokens") int maxTokens,
        Pooling pooling,
        @JsonProperty("batch_invariant") boolean batchInvariant) {

    public static final String ONNX_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    public EncoderCard {
        if (dimensions < 1 || maxTokens < 3 || pooling == null) {
            throw new IllegalArgumentException("an encoder needs dimensions >= 1, max_tokens >= 3 and a pooling; got "
                    + dimensions + ", " + maxTokens + ", " + pooling);
        }
    }
}
