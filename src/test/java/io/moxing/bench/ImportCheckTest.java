package io.moxing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.model.ModelSpec;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import io.moxing.train.TrainOptions;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A small MobileNetV2 (width 0.1, 32x32) exported by PyTorch with bench/export_mobilenetv2.py, committed
 * under src/test/resources/imported: Moxing's TorchScript and ONNX loaders must reproduce PyTorch's
 * output, and a classifier on top of an imported backbone must train, register and load again.
 */
class ImportCheckTest {
    private static final Path EXPORT = Path.of("src/test/resources/imported/mobilenetv2-tiny");

    @Test
    void torchScriptAndOnnxMatchPyTorch() {
        ImportCheck.Result r = ImportCheck.run(EXPORT);
        assertEquals(2, r.formats().size());
        for (var a : r.formats()) {
            assertTrue(a.relativeError() < 1e-4, a.format() + ": relative error " + a.relativeError());
        }
    }

    @Test
    void classifierOnAnImportedBackboneTrainsAndTravelsWithItsFile() throws Exception {
        String json = """
                {"name": "onnx-head", "input": [3, 32, 32],
                 "layers": [{"type": "imported", "format": "onnx", "path": "%s"},
                            {"type": "global_avgpool"}, {"type": "dense", "units": 10}],
                 "optimizer": {"type": "adam", "lr": 0.001}, "training": {"epochs": 1, "batch_size": 32, "seed": 1}}
                """.formatted(EXPORT.resolve("backbone.onnx"));
        TrainResult result = new TrainingJob(SharedHome.home(), new PrintStream(PrintStream.nullOutputStream()), false)
                .start(ModelSpec.parse(json, "onnx-head.json"), new TrainOptions("fashion-mnist-32", null, 256, true));
        // the backbone's weights are random (seeded): this checks the plumbing, not what it learns
        assertTrue(Double.isFinite(result.finalLoss()) && result.testAccuracy() != null);
        Path version = new ModelRegistry(SharedHome.home().models()).resolve("onnx-head:" + result.version());
        try (var files = Files.list(version)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith("backbone.onnx")), "the backbone is copied");
        }
        try (LoadedModel loaded = LoadedModel.load(version)) {
            float[] two = new float[2 * 3 * 32 * 32];
            java.util.Arrays.fill(two, 3 * 32 * 32, two.length, 1f);
            float[][] out = loaded.predict(two, 2);
            assertEquals(10, out[0].length);
            assertEquals(1.0, out[0][0] + out[0][1] + out[0][2] + out[0][3] + out[0][4] + out[0][5] + out[0][6]
                    + out[0][7] + out[0][8] + out[0][9], 1e-4, "class probabilities");
            assertTrue(!java.util.Arrays.equals(out[0], out[1]), "the loaded backbone responds to its input");
        }
    }
}
