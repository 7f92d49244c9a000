package io.moxing.predict;

import io.moxing.core.Hashing;
import io.moxing.core.Task;
import io.moxing.core.UserException;
import io.moxing.core.AtomicFiles;
import io.moxing.model.OutputHead;
import io.moxing.registry.EncoderCard;
import io.moxing.registry.ImportSource;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Pooling;
import io.moxing.registry.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Registers a pretrained sentence encoder as a model version like any other: its ONNX file and tokenizer are
 * copied into the version's directory ({@link EncoderCard#ONNX_FILE}, {@link EncoderCard#TOKENIZER_FILE}), run
 * to check that they work together and to learn the vectors' width and whether texts may share a batch, and
 * recorded with where they came from and their SHA-256 ({@link ImportSource}). The version then deploys and
 * serves like a trained one.
 */
public final class EncoderImport {
    private EncoderImport() {}

    /** Imports a built-in encoder (read from its jar on the class path) under {@code name}. */
    public static ModelVersion builtIn(ModelRegistry registry, BuiltInEncoder encoder, String name) {
        String coordinates = encoder.coordinates();
        return register(registry, name, encoder.maxTokens(), encoder.pooling(), staging -> {
            String onnx = copy(encoder.resource(encoder.onnxResource()), staging.resolve(EncoderCard.ONNX_FILE));
            String tokenizer = copy(encoder.resource(encoder.tokenizerResource()), staging.resolve(EncoderCard.TOKENIZER_FILE));
            if (!onnx.equals(encoder.onnxSha256()) || !tokenizer.equals(encoder.tokenizerSha256())) {
                throw new UserException("unexpected_encoder_bytes", coordinates + " holds other files than the ones this"
                        + " Moxing was tested with (SHA-256 " + onnx + " / " + tokenizer + ", expected " + encoder.onnxSha256()
                        + " / " + encoder.tokenizerSha256() + "); import them with --onnx FILE --tokenizer FILE if you trust them");
            }
            return new ImportSource("maven:" + coordinates + "!/" + encoder.onnxResource(), encoder.upstream(),
                    encoder.license(), onnx, tokenizer);
        });
    }

    /** Imports a user's own encoder from its ONNX file and Hugging Face tokenizer.json. */
    public static ModelVersion files(ModelRegistry registry, String name, Path onnx, Path tokenizer, int maxTokens,
                                     Pooling pooling) {
        return register(registry, name, maxTokens, pooling, staging -> {
            String onnxSha = copy(open(onnx), staging.resolve(EncoderCard.ONNX_FILE));
            String tokenizerSha = copy(open(tokenizer), staging.resolve(EncoderCard.TOKENIZER_FILE));
            return new ImportSource("file:" + onnx.toAbsolutePath(), null, null, onnxSha, tokenizerSha);
        });
    }

    /** Fills the staging directory with the two files and says where they came from. */
    private interface FileSource {
        ImportSource copyInto(Path staging);
    }

    private static ModelVersion register(ModelRegistry registry, String name, int maxTokens, Pooling pooling, FileSource files) {
        if (maxTokens < 3) throw new UserException("invalid_option", "--max-tokens must be at least 3 (two are special tokens)");
        return registry.register(name, version -> staging -> {
            ImportSource source = files.copyInto(staging);
            Path onnx = staging.resolve(EncoderCard.ONNX_FILE);
            int dimensions;
            boolean batchInvariant;
            try (SentenceEncoder encoder = SentenceEncoder.open(null, onnx, staging.resolve(EncoderCard.TOKENIZER_FILE),
                    maxTokens, pooling, true)) {
                dimensions = encoder.dimensions();
                batchInvariant = encoder.batchInvariant();
            }
            long parameters = OnnxParameters.count(onnx);
            String now = Instant.now().toString();
            AtomicFiles.writeJson(staging.resolve("provenance.json"), Provenance.imported(source, parameters, now));
            return new ModelVersion(ModelVersion.FORMAT_VERSION, name, version, now, Task.EMBEDDING, List.of(), null,
                    OutputHead.NONE, null, "text", parameters, source.modelSha256(), null, Map.of(),
                    new EncoderCard(EncoderCard.ONNX_FILE, EncoderCard.TOKENIZER_FILE, dimensions, maxTokens, pooling,
                            batchInvariant));
        });
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UserException("unreadable_file", file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Copies {@code in} to {@code target} and returns the SHA-256 of the bytes copied (what sha256sum prints). */
    private static String copy(InputStream in, Path target) {
        MessageDigest sha = Hashing.sha256();
        try (InputStream digesting = new DigestInputStream(in, sha)) {
            Files.copy(digesting, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the encoder to " + target, e);
        }
        return Hashing.hex(sha);
    }
}
