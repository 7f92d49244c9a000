package io.moxing.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.data.DatasetStore;
import io.moxing.data.SplitData;
import io.moxing.eval.Metrics;
import io.moxing.eval.ModelEvaluation;
import io.moxing.model.ModelSpec;
import io.moxing.model.TestTimeAugmentation;
import io.moxing.predict.Inference;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Averaging an image's prediction with its mirror image's: written in the spec, decided on the validation split
 * when the spec says "auto", and honoured by everything that runs the version (its test evaluation, the
 * registry's evaluation, predictions) — on real Fashion-MNIST images.
 */
class TestTimeAugmentationTest {
    /** Fashion-MNIST's ten classes by index: only their count matters to the accuracy. */
    private static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    @TempDir java.nio.file.Path tmp;

    private static ModelSpec spec(String name, String testTime) {
        return ModelSpec.parse("{\"name\": \"" + name + "\", \"input\": [1, 28, 28], \"layers\": ["
                + "{\"type\": \"conv2d\", \"filters\": 8, \"kernel\": 3, \"padding\": \"same\"}, {\"type\": \"relu\"},"
                + "{\"type\": \"maxpool\", \"size\": 2}, {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 10}],"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.002},"
                + " \"training\": {\"epochs\": 1, \"batch_size\": 64, \"seed\": 5,"
                + " \"augmentation\": {\"horizontal_flip\": true}},"
                + " \"test_time_augmentation\": \"" + testTime + "\"}", name + ".json");
    }

    @Test
    void theSpecNamesItAndOnlyImagesCanHaveIt() {
        assertEquals(TestTimeAugmentation.HORIZONTAL_FLIP, spec("m", "horizontal_flip").testTimeAugmentation());
        assertEquals("horizontal_flip", spec("m", "horizontal_flip").toJson().path("test_time_augmentation").asText());
        // the default is left out of a written spec, so specs that never asked read as they did
        ModelSpec plain = spec("m", "auto").withTestTimeAugmentation(TestTimeAugmentation.NONE);
        assertFalse(plain.toJson().has("test_time_augmentation"));
        assertEquals(TestTimeAugmentation.NONE, ModelSpec.parse(plain.toJson().toString(), "x").testTimeAugmentation());
        UserException unknown = assertThrows(UserException.class, () -> spec("m", "vertical_flip"));
        assertTrue(unknown.getMessage().contains("must be one of none, horizontal_flip or auto"), unknown.getMessage());
        UserException table = assertThrows(UserException.class, () -> ModelSpec.parse("{\"name\": \"t\", \"input\": [4],"
                + " \"layers\": [{\"type\": \"dense\", \"units\": 2}], \"optimizer\": {\"type\": \"adam\", \"lr\": 0.01},"
                + " \"training\": {\"epochs\": 1, \"batch_size\": 8}, \"test_time_augmentation\": \"auto\"}", "t.json"));
        assertTrue(table.getMessage().contains("t.json: \"test_time_augmentation\" 'auto' mirrors images"), table.getMessage());
    }

    @Test
    void mirroringReversesEachRowOfEachImage() {
        float[] two = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10},
                TestTimeAugmentation.mirrored(two, new long[] {1, 2, 3}));
    }

    @Test
    void aVersionThatAveragesWithMirrorImagesIsEvaluatedAndServedThatWay() throws Exception {
        MoxingHome home = SharedHome.withSharedData(tmp.resolve("home"));
        TrainResult r = new TrainingJob(home, new PrintStream(PrintStream.nullOutputStream()), false)
                .start(spec("mirrored", "horizontal_flip"), new TrainOptions(SharedHome.SMALL_FASHION, null, null, true));
        String ref = r.model() + ":" + r.version();
        ModelRegistry registry = new ModelRegistry(home.models());
        SplitData test = new DatasetStore(home.datasets()).resolve(SharedHome.SMALL_FASHION).load("test");
        try (LoadedModel model = LoadedModel.load(registry.resolve(ref))) {
            assertEquals(TestTimeAugmentation.HORIZONTAL_FLIP, model.compiled().spec().testTimeAugmentation());
            // averaging is symmetric: an image and its mirror image get the same answer (to rounding: the two views are
            // rows of one batch, in the other order)
            int n = 50;
            float[] images = Arrays.copyOf(test.features(), n * 784);
            float[][] a = model.predict(images, n);
            float[][] b = model.predict(TestTimeAugmentation.mirrored(images, model.sampleShape()), n);
            for (int i = 0; i < n; i++) assertArrayEquals(a[i], b[i], 1e-5f, "image " + i);
            float[][] once = model.predict(images, n);
            float[][] plain = new Inference(model.compiled().block(), model.compiled().head(), model.manager())
                    .run(images, model.sampleShape(), n, 256);
            double moved = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < 10; k++) moved += Math.abs(once[i][k] - plain[i][k]);
            assertTrue(moved > 1e-3, "the averaged answers differ from one pass's: " + moved);
        }
        // the accuracy the run reported is the one the version has when it predicts (mirror images included)
        var again = new ModelEvaluation(home).run(ref, SharedHome.SMALL_FASHION, "test");
        assertEquals(r.testAccuracy(), again.result().accuracy(), 1e-9);
        assertTrue(r.testAccuracy() > 0.6, "test accuracy " + r.testAccuracy());
    }

    @Test
    void autoIsDecidedOnTheValidationSplitAndTheVersionHoldsTheDecision() throws Exception {
        MoxingHome home = SharedHome.withSharedData(tmp.resolve("home"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        TrainResult r = new TrainingJob(home, new PrintStream(said, true, StandardCharsets.UTF_8), false)
                .start(spec("decided", "auto"), new TrainOptions(SharedHome.SMALL_FASHION, null, null, true));
        Map<String, Object> result = RunDirectory.existing(home.runs(), r.runId()).read().result();
        String chosen = (String) result.get("test_time_augmentation");
        assertNotNull(chosen, result.toString());
        // the registered spec holds what was decided, never "auto"
        String ref = r.model() + ":" + r.version();
        ModelSpec stored = ModelSpec.read(new ModelRegistry(home.models()).resolve(ref).resolve("spec.json"));
        assertEquals(chosen, stored.testTimeAugmentation().wireName());
        assertTrue(stored.testTimeAugmentation() != TestTimeAugmentation.AUTO);
        // and the decision is the better validation accuracy, both of which the output and the record show
        String line = said.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("test-time augmentation 'auto': validation accuracy"), line);
        double recorded = ((Number) result.get("val_accuracy_mirror_averaged")).doubleValue();
        SplitData validation = new DatasetStore(home.datasets()).resolve(SharedHome.SMALL_FASHION).load("validation");
        try (LoadedModel model = LoadedModel.load(new ModelRegistry(home.models()).resolve(ref))) {
            // the bare network, scored both ways here, independently of the training's decision
            Inference network = new Inference(model.compiled().block(), model.compiled().head(), model.manager());
            TestTimeAugmentation.Model run = (f, n) -> network.run(f, model.sampleShape(), n, 256);
            double plain = accuracy(TestTimeAugmentation.NONE.predict(validation.features(), model.sampleShape(),
                    validation.count(), run), validation.labels());
            double mirrored = accuracy(TestTimeAugmentation.HORIZONTAL_FLIP.predict(validation.features(),
                    model.sampleShape(), validation.count(), run), validation.labels());
            assertEquals(mirrored, recorded, 1e-9);
            assertEquals(plain, ((Number) result.get("val_accuracy_as_is")).doubleValue(), 1e-9);
            assertEquals(mirrored > plain ? TestTimeAugmentation.HORIZONTAL_FLIP : TestTimeAugmentation.NONE,
                    stored.testTimeAugmentation(), "validation accuracy " + plain + " as they are, " + mirrored + " mirrored");
            // the version predicts as it was decided
            double served = accuracy(model.predict(validation.features(), validation.count()), validation.labels());
            assertEquals(stored.testTimeAugmentation() == TestTimeAugmentation.NONE ? plain : mirrored, served, 1e-9);
        }
        assertTrue(line.contains(stored.testTimeAugmentation() == TestTimeAugmentation.NONE ? "predicts samples as they are"
                : "averages them"), line);
    }

    private static double accuracy(float[][] outputs, float[] labels) {
        return Metrics.of("validation", labels, outputs, CLASSES).accuracy();
    }
}
