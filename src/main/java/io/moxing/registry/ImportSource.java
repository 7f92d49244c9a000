package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an imported (not trained) version came from, so that anyone can fetch the same bytes and check them.
 *
 * @param origin          what was imported: Maven coordinates and the resource inside the jar
 *                        ({@code maven:dev.langchain4j:…:1.19.0-beta29!/all-minilm-l6-v2-q.onnx}) or a file path
 *                        ({@code file:/home/me/encoder.onnx})
 * @param upstream        the model it is a conversion of, where known ({@code https://huggingface.co/…}), else null
 * @param license         its licence, where known, else null
 * @param modelSha256     SHA-256 of the model file as registered
 * @param tokenizerSha256 SHA-256 of its tokenizer file as registered
 */
public record ImportSource(
        String origin,
        String upstream,
        String license,
        @JsonProperty("model_sha256") String modelSha256,
        @JsonProperty("tokenizer_sha256") String tokenizerSha256) {}
