package io.moxing.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moxing.core.DeepLearning;
import io.moxing.generate.Sampler;
import io.moxing.generate.TextGenerator;
import io.moxing.train.LearningRateSchedule;
import io.moxing.train.Losses;
import io.moxing.train.Optimizers;
import io.moxing.train.Targets;
import io.moxing.train.TensorData;
import io.moxing.train.TrainingLoop;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Transformer language model's blocks: causality, the key/value cache, parameter counts. */
class TransformerTest {
    private static final int VOCABULARY = 23;
    private static final int CONTEXT = 8;

    static CompiledModel tiny() {
        String json = """
                {"name": "tiny-lm", "task": "language-modeling", "input": [%d],
                 "text": {"tokenizer": "char", "vocabulary": %d},
                 "layers": [{"type": "embedding", "width": 16},
                            {"type": "transformer", "layers": 2, "heads": 2, "mlp": 32},
                            {"type": "layernorm"}, {"type": "dense", "units": "vocabulary"}],
                 "initializer": "normal02",
                 "optimizer": {"type": "adam", "lr": 0.001}, "training": {"epochs": 1, "batch_size": 4}}
                """.formatted(CONTEXT, VOCABULARY);
        return SpecCompiler.compile(ModelSpec.parse(json, "tiny-lm.json"));
    }

    /**
     * The tiny model initialised from {@code seed}, with larger weights than the 0.02 initialisation so
     * that every position's output visibly depends on its inputs.
     */
    private static CompiledModel initialized(NDManager manager, long seed) {
        CompiledModel model = tiny();
        DeepLearning.seed(seed);
        model.initialize(manager);
        model.block().getParameters().values().forEach(p -> {
            if (p.getName().equals("weight") || p.getName().equals("tokens") || p.getName().equals("positions")) {
                p.getArray().muli(20);
            }
        });
        return model;
    }

    private static float[] forward(CompiledModel model, NDManager manager, long[] ids) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.create(ids, new Shape(1, ids.length));
            return model.block().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
        }
    }

    @Test
    void noFutureTokenInfluencesThePast() {
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            CompiledModel model = initialized(manager, 3);
            long[] ids = {1, 5, 9, 2, 7, 3, 11, 4};
            float[] before = forward(model, manager, ids);
            int changed = 5;
            ids[changed] = 17;
            float[] after = forward(model, manager, ids);
            for (int position = 0; position < CONTEXT; position++) {
                float difference = 0;
                for (int v = 0; v < VOCABULARY; v++) {
                    int i = position * VOCABULARY + v;
                    difference = Math.max(difference, Math.abs(before[i] - after[i]));
                }
                if (position < changed) {
                    assertEquals(0f, difference, "position " + position + " must not see token " + changed);
                } else {
                    assertTrue(difference > 1e-3, "position " + position + " must see token " + changed + ": " + difference);
                }
            }
        }
    }

    @Test
    void cachedLogitsEqualFullForward() {
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            CompiledModel model = initialized(manager, 4);
            long[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
            float[] full = forward(model, manager, ids);
            ParameterStore store = new ParameterStore(manager, false);
            try (KvCache cache = new KvCache(manager)) {
                // a prompt of three positions at once, then one position at a time
                int[] steps = {3, 1, 1, 1, 1, 1};
                int at = 0;
                for (int n : steps) {
                    try (NDManager scratch = manager.newSubManager()) {
                        long[] chunk = java.util.Arrays.copyOfRange(ids, at, at + n);
                        float[] cached = CachedForward.run(model, store, scratch.create(chunk, new Shape(1, n)), cache)
                                .toFloatArray();
                        for (int i = 0; i < cached.length; i++) {
                            assertEquals(full[at * VOCABULARY + i], cached[i], 1e-4, "position " + (at + i / VOCABULARY));
                        }
                    }
                    at += n;
                }
                assertEquals(CONTEXT, cache.length());
            }
        }
    }

    @Test
    void greedyGenerationWithTheCacheWritesTheSameTokensAsReRunning() {
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            CompiledModel model = initialized(manager, 5);
            TextGenerator generator = new TextGenerator(model, manager);
            // 40 tokens with a context of 8: the window restarts from its newer half several times
            int[] cached = generator.generate(new int[] {1, 2}, 40, Sampler.greedy(), true, t -> { });
            int[] full = generator.generate(new int[] {1, 2}, 40, Sampler.greedy(), false, t -> { });
            assertArrayEquals(full, cached);
            assertTrue(java.util.Arrays.stream(cached).distinct().count() > 1, "a non-trivial sequence");
        }
    }

    @Test
    void parameterCountMatchesTheArrays() {
        CompiledModel model = tiny();
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            model.initialize(manager);
            long actual = model.block().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertEquals(actual, model.parameters());
        }
    }

    /**
     * Training steps leave no array in the model's manager. The position table's slice was made there once a step,
     * and since a step releases its weights' gradients (PyTorch's set-to-None) each such slice kept the table's former
     * tensor and its gradient alive: memory grew by a gradient a step (found in review, 254 KB a step on a
     * 256x128 table).
     */
    @Test
    void trainingStepsLeaveNothingInTheModelsManager() {
        CompiledModel model = tiny();
        ModelSpec spec = model.spec();
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            DeepLearning.seed(3);
            model.initialize(manager);
            TrainingLoop loop = new TrainingLoop(model.block(), manager, Losses.of(spec.loss()),
                    Optimizers.create(spec.optimizer()), spec.training(),
                    new LearningRateSchedule(spec.optimizer().learningRate(), spec.training()), Targets.of(spec), List.of());
            int[] tokens = new int[CONTEXT * 16 + 1];
            for (int i = 0; i < tokens.length; i++) tokens[i] = (i * 7 + i / 3) % VOCABULARY;
            try (TensorData data = TensorData.windows(manager, tokens, CONTEXT)) {
                var trainable = loop.trainableParameters();
                int before = 0;
                for (int step = 0; step < 12; step++) {
                    long[] batch = {step % 16, (step + 5) % 16, (step + 9) % 16, (step + 13) % 16};
                    loop.trainBatch(data, batch, spec.optimizer().learningRate(), trainable);
                    if (step == 1) before = ((BaseNDManager) manager).getManagedArrays().size();
                }
                assertEquals(before, ((BaseNDManager) manager).getManagedArrays().size(),
                        "arrays left in the model's manager by ten training steps");
            }
        }
    }
}
