package io.moxing.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moxing.core.DeepLearning;
import io.moxing.core.UserException;
import io.moxing.data.AugmentationSpec;
import io.moxing.train.LearningRateSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the search space needed from the spec language: residual blocks, one-cycle, crops and erasing. */
class AutomlSpecLanguageTest {

    private static String spec(String layers, String training) {
        return "{\"name\": \"t\", \"input\": [1, 8, 8], \"layers\": [" + layers + "],"
                + " \"optimizer\": {\"type\": \"adamw\", \"lr\": 0.01, \"weight_decay\": 0.0001},"
                + " \"training\": " + training + "}";
    }

    private static CompiledModel compile(String layers) {
        return SpecCompiler.compile(ModelSpec.parse(spec(layers, "{\"epochs\": 1, \"batch_size\": 8}"), "my.json"));
    }

    private static final String CONV = "{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3, \"padding\": \"same\"}";
    private static final String HEAD = "{\"type\": \"global_avgpool\"}, {\"type\": \"dense\", \"units\": 3}";

    @Test
    void aResidualBlockAddsItsInputOrAProjectionOfIt() {
        // same shape: the identity shortcut, no parameters of its own
        CompiledModel same = compile(CONV + ", {\"type\": \"residual\", \"layers\": [" + CONV + ", {\"type\": \"batchnorm\"},"
                + " {\"type\": \"relu\"}, " + CONV + "]}, " + HEAD);
        assertEquals(List.of(4L, 8L, 8L), same.layers().get(1).outputShape());
        assertEquals(2 * (4 * 9 * 4 + 4) + 8, same.layers().get(1).parameters());
        // more channels at half the size: a 1x1 projection with stride 2 (4 x 8 weights)
        CompiledModel down = compile(CONV + ", {\"type\": \"residual\", \"layers\": [{\"type\": \"conv2d\", \"filters\": 8,"
                + " \"kernel\": 3, \"padding\": \"same\", \"stride\": 2, \"activation\": \"relu\"}]}, " + HEAD);
        assertEquals(List.of(8L, 4L, 4L), down.layers().get(1).outputShape());
        assertEquals(4 * 9 * 8 + 8 + 4 * 8, down.layers().get(1).parameters());
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            down.initialize(manager);
            NDArray out = down.block().forward(new ParameterStore(manager, false),
                    new NDList(manager.ones(new Shape(2, 1, 8, 8))), false).singletonOrThrow();
            assertArrayEquals(new long[] {2, 3}, out.getShape().getShape());
        }
    }

    @Test
    void aResidualBlockNamesWhatIsWrong() {
        UserException empty = assertThrows(UserException.class, () -> compile(CONV + ", {\"type\": \"residual\"}, " + HEAD));
        assertTrue(empty.getMessage().contains("layers[1] (residual): \"layers\" must be a non-empty list"), empty.getMessage());
        UserException flat = assertThrows(UserException.class, () -> compile(CONV + ", {\"type\": \"residual\", \"layers\":"
                + " [{\"type\": \"flatten\"}]}, {\"type\": \"dense\", \"units\": 3}"));
        assertTrue(flat.getMessage().contains("the wrapped layers turn [4, 8, 8] into [256]"), flat.getMessage());
        UserException inner = assertThrows(UserException.class, () -> compile(CONV + ", {\"type\": \"residual\", \"layers\":"
                + " [{\"type\": \"conv2d\", \"kernel\": 3}]}, " + HEAD));
        assertTrue(inner.getMessage().contains("layers[1] (residual): layers[0] (conv2d): \"filters\" is required"),
                inner.getMessage());
    }

    @Test
    void oneCycleRisesToTheLearningRateThenFallsFarBelowIt() {
        TrainingSpec t = new TrainingSpec(10, 32, 1, "one_cycle", 0, 0, 0, 0, null, 0, 0, null);
        LearningRateSchedule s = new LearningRateSchedule(0.1, t);
        assertEquals(0.1 / 25, s.at(0, 0, 10), 1e-12);
        assertEquals(0.1, s.at(3, 0, 10), 1e-12); // the top at 30% of the epochs
        assertTrue(s.at(1, 5, 10) > s.at(1, 0, 10) && s.at(6, 0, 10) < s.at(5, 0, 10));
        assertEquals(0.1 / 25 / 1e4, s.at(10, 0, 10), 1e-12);
        UserException tooLong = assertThrows(UserException.class,
                () -> new TrainingSpec(10, 32, 1, "one_cycle", 10, 0, 0, 0, null, 0, 0, null));
        assertTrue(tooLong.getMessage().contains("training.warmup_epochs 10.0 must be less than training.epochs 10"),
                tooLong.getMessage());
        assertThrows(UserException.class, () -> new TrainingSpec(4, 32, 1, "cosine", 5, 0, 0, 0, null, 0, 0, null));
        UserException unknown = assertThrows(UserException.class,
                () -> new TrainingSpec(4, 32, 1, "onecycle", 0, 0, 0, 0, null, 0, 0, null));
        assertTrue(unknown.getMessage().contains("training.schedule 'onecycle' must be one of"), unknown.getMessage());
    }

    @Test
    void cropsAndErasingAreValidatedByName() {
        ModelSpec parsed = ModelSpec.parse(spec(CONV + ", " + HEAD, "{\"epochs\": 2, \"batch_size\": 8, \"schedule\": \"cosine\","
                + " \"warmup_epochs\": 0.5, \"augmentation\": {\"crop_padding\": 2, \"random_erasing\": 0.5}}"), "my.json");
        assertEquals(2, parsed.training().augmentation().cropPadding());
        assertEquals(0.5, parsed.training().augmentation().randomErasing());
        assertEquals(parsed.training(), ModelSpec.parse(io.moxing.core.Json.pretty(parsed.toJson()), "again").training());
        UserException crop = assertThrows(UserException.class, () -> new AugmentationSpec(0, 0, 0, 0, 0, false, null, 17, 0));
        assertTrue(crop.getMessage().contains("training.augmentation.crop_padding 17"), crop.getMessage());
        UserException erase = assertThrows(UserException.class, () -> new AugmentationSpec(0, 0, 0, 0, 0, false, null, 0, 1.5));
        assertTrue(erase.getMessage().contains("training.augmentation.random_erasing 1.5"), erase.getMessage());
    }

    @Test
    void sgdWithNesterovAndAdamWAreThere() {
        OptimizerSpec sgd = ModelSpec.parse(spec(CONV + ", " + HEAD, "{\"epochs\": 1}").replace("\"adamw\"", "\"sgd\"")
                .replace("\"weight_decay\"", "\"momentum\": 0.9, \"nesterov\": true, \"weight_decay\""), "sgd.json").optimizer();
        assertTrue(sgd.nesterov());
        assertEquals(0.9, sgd.momentum());
        UserException momentum = assertThrows(UserException.class,
                () -> new OptimizerSpec("sgd", 0.1, 1.2, true, 0, 0, 0, 0, 0));
        assertTrue(momentum.getMessage().contains("optimizer.momentum 1.2"), momentum.getMessage());
    }
}
