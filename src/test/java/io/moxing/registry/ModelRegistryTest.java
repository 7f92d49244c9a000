package io.moxing.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Json;
import io.moxing.core.Task;
import io.moxing.core.UserException;
import io.moxing.data.Normalization;
import io.moxing.model.OutputHead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir Path tmp;

    private ModelVersion register(ModelRegistry registry, String name) {
        return register(registry, name, List.of(1, 2, 2), List.of("a", "b"));
    }

    private ModelVersion register(ModelRegistry registry, String name, List<Integer> input, List<String> classes) {
        return registry.register(name, version -> staging -> {
            AtomicFiles.writeString(staging.resolve(ModelVersion.PARAMETERS_FILE), "weights of " + version);
            return new ModelVersion(ModelVersion.FORMAT_VERSION, name, version, Instant.now().toString(), Task.CLASSIFICATION,
                    input, classes, OutputHead.SOFTMAX, Normalization.scaleOnly(1), "image", 10,
                    "sha", "run-" + version, Map.of("test_accuracy", 0.5));
        });
    }

    @Test
    void aVersionThatAnswersAnotherQuestionIsRefusedAtRegistration() throws Exception {
        ModelRegistry registry = new ModelRegistry(tmp);
        register(registry, "m");
        UserException classes = assertThrows(UserException.class,
                () -> register(registry, "m", List.of(1, 2, 2), List.of("0", "1", "2", "3", "4", "5", "6")));
        assertEquals("incompatible_version", classes.code());
        assertEquals("a new version of 'm' would have classes [0, 1, 2, 3, … 7 in all] where m:1 has [a, b];"
                + " every version of a name answers the same question ('moxing deploy m' serves the newest),"
                + " so register this model under a name of its own: --name NAME", classes.getMessage());
        UserException shape = assertThrows(UserException.class,
                () -> register(registry, "m", List.of(3, 4, 4), List.of("a", "b")));
        assertTrue(shape.getMessage().contains("input [3, 4, 4] where m:1 takes [1, 2, 2]"), shape.getMessage());
        assertEquals(1, registry.card("m").version(), "nothing was registered");
        assertFalse(Files.list(tmp.resolve(".staging")).findAny().isPresent(), "no staging leftovers");
        assertEquals(2, register(registry, "m").version(), "the same question makes a new version");
        assertEquals(1, register(registry, "m-digits", List.of(1, 2, 2), List.of("0", "1")).version());
    }

    @Test
    void versionsCountUpAndResolveToTheNewest() {
        ModelRegistry registry = new ModelRegistry(tmp);
        assertEquals(1, register(registry, "m").version());
        assertEquals(2, register(registry, "m").version());
        assertEquals(1, register(registry, "other").version());
        assertEquals(2, registry.card("m").version());
        assertEquals(1, registry.card("m:1").version());
        assertEquals(3, registry.list().size());
        UserException e = assertThrows(UserException.class, () -> registry.card("m:9"));
        assertEquals("model 'm' has no version '9'; versions: [1, 2]", e.getMessage());
        assertEquals("unknown_model", assertThrows(UserException.class, () -> registry.card("nope")).code());
    }

    @Test
    void concurrentRegistrationsGetDistinctVersions() throws Exception {
        ModelRegistry registry = new ModelRegistry(tmp);
        var pool = Executors.newFixedThreadPool(4);
        List<Future<ModelVersion>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) futures.add(pool.submit(() -> register(registry, "m")));
        List<Integer> versions = new ArrayList<>();
        for (Future<ModelVersion> f : futures) versions.add(f.get().version());
        pool.shutdown();
        Collections.sort(versions);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), versions);
        assertFalse(Files.list(tmp.resolve(".staging")).findAny().isPresent(), "no staging leftovers");
    }

    @Test
    void deleteNeedsAnExplicitVersionAndExportWritesAZip() throws Exception {
        ModelRegistry registry = new ModelRegistry(tmp);
        register(registry, "m");
        register(registry, "m");
        assertEquals("version_required", assertThrows(UserException.class, () -> registry.delete("m")).code());
        Path zip = registry.export("m:1", tmp.resolve("out/m-1.zip"));
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertTrue(z.getEntry("m-1/model.json") != null);
            assertTrue(z.getEntry("m-1/" + ModelVersion.PARAMETERS_FILE) != null);
        }
        registry.delete("m:2");
        assertEquals(1, registry.card("m").version());
    }

    /** A language model's card as Moxing wrote it when the task was a plain string. */
    private static final String EARLIER_CARD = """
            {
              "format_version" : 1,
              "name" : "poet",
              "version" : 3,
              "created_at" : "2025-01-02T03:04:05Z",
              "task" : "language-modeling",
              "input_shape" : [ 64 ],
              "classes" : [ ],
              "head" : "SOFTMAX",
              "normalization" : {
                "scale" : 1.0,
                "mean" : [ 0.0 ],
                "std" : [ 1.0 ]
              },
              "data_kind" : "text",
              "parameters" : 1234,
              "parameters_sha256" : "abc",
              "run_id" : "run-1",
              "metrics" : {
                "validation_perplexity" : 5.5
              }
            }
            """;

    @Test
    void aCardWrittenBeforeReadsAndIsWrittenBackByteForByte() throws Exception {
        Path file = tmp.resolve("model.json");
        Files.writeString(file, EARLIER_CARD);
        ModelVersion card = Json.read(file, ModelVersion.class);
        assertEquals(Task.LANGUAGE_MODELING, card.task());
        assertTrue(card.task().isLanguageModel());
        AtomicFiles.writeJson(file, card);
        assertEquals(EARLIER_CARD, Files.readString(file));
    }
}
