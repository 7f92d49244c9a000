package io.moxing.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import io.moxing.core.DeepLearning;
import io.moxing.data.SplitData;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FreezingTest {

    private static TrainingLoop loop(CompiledModel compiled, NDManager manager, ModelSpec spec) {
        return new TrainingLoop(compiled.block(), manager, Losses.of(spec.loss()), Optimizers.create(spec.optimizer()),
                spec.training(), new LearningRateSchedule(spec.optimizer().learningRate(), spec.training()),
                Targets.of(spec), List.of());
    }

    @Test
    void aLastBatchOfOneSampleIsSkippedSoBatchNormCanTrain() {
        ModelSpec spec = ModelSpec.parse("{\"name\": \"bn\", \"input\": [3], \"layers\": ["
                + "{\"type\": \"dense\", \"units\": 4}, {\"type\": \"batchnorm\"}, {\"type\": \"relu\"},"
                + " {\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\"}],"
                + " \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}, \"training\": {\"epochs\": 1, \"batch_size\": 4}}", "t");
        CompiledModel compiled = SpecCompiler.compile(spec);
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            compiled.initialize(manager);
            float[] x = new float[9 * 3];
            float[] y = {0, 1, 0, 1, 0, 1, 0, 1, 0};
            for (int i = 0; i < x.length; i++) x[i] = i % 7;
            Targets targets = Targets.of(spec);
            TrainingLoop loop = loop(compiled, manager, spec);
            try (TensorData data = TensorData.of(manager, new SplitData("train", x, y, new long[] {3}), targets)) {
                List<EpochMetrics> history = loop.run(data, null, List.of());
                // 9 samples in batches of 4: 4 + 4 trained, the ninth alone skipped
                assertEquals(8 / history.get(0).seconds(), history.get(0).samplesPerSecond(), 1e-6);
            }
        }
    }

    @Test
    void frozenLayersKeepTheirParametersWhileTheOthersLearn() {
        ModelSpec spec = ModelSpec.parse("{\"name\": \"frozen\", \"input\": [4], \"layers\": ["
                + "{\"type\": \"dense\", \"units\": 8, \"activation\": \"relu\", \"trainable\": false},"
                + "{\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\"}],"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.05}, \"training\": {\"epochs\": 3, \"batch_size\": 8}}", "t");
        CompiledModel compiled = SpecCompiler.compile(spec);
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            compiled.initialize(manager);
            Map<String, float[]> before = new HashMap<>();
            compiled.block().getParameters().forEach(p -> before.put(p.getKey(), p.getValue().getArray().toFloatArray()));
            Random r = new Random(1);
            float[] x = new float[64 * 4];
            float[] y = new float[64];
            for (int i = 0; i < 64; i++) {
                for (int k = 0; k < 4; k++) x[i * 4 + k] = (float) r.nextGaussian();
                y[i] = x[i * 4] > 0 ? 1 : 0;
            }
            Targets targets = Targets.of(spec);
            TrainingLoop loop = loop(compiled, manager, spec);
            assertEquals(2, loop.trainableParameters().size(), "only the second layer's weight and bias");
            try (TensorData data = TensorData.of(manager, new SplitData("train", x, y, new long[] {4}), targets)) {
                loop.run(data, null, List.of());
            }
            compiled.block().getParameters().forEach(p -> {
                float[] now = p.getValue().getArray().toFloatArray();
                if (p.getKey().startsWith("01")) {
                    assertArrayEquals(before.get(p.getKey()), now, 0f, p.getKey() + " is frozen");
                } else {
                    assertFalse(java.util.Arrays.equals(before.get(p.getKey()), now), p.getKey() + " learns");
                }
            });
        }
    }
}
