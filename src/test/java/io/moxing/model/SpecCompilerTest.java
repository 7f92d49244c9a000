package io.moxing.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.UserException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecCompilerTest {

    private static String spec(String layers) {
        return "{\"name\": \"t\", \"input\": [1, 28, 28], \"layers\": [" + layers + "],"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.001}, \"training\": {\"epochs\": 1, \"batch_size\": 8}}";
    }

    private static UserException fails(String layers) {
        return assertThrows(UserException.class, () -> SpecCompiler.compile(ModelSpec.parse(spec(layers), "my.json")));
    }

    @Test
    void compilesCnn28WithKerasParameterCountAndFlops() {
        CompiledModel m = SpecCompiler.compile(Templates.load("cnn-28"));
        // conv 1*9*32+32, dense 5408*128+128, dense 128*10+10
        assertEquals(320 + 692_352 + 1_290, m.parameters());
        assertEquals(2L * 9 * 32 * 26 * 26 + 2L * 5408 * 128 + 2L * 128 * 10, m.forwardFlops());
        assertEquals(List.of(32L, 13L, 13L), m.layers().get(1).outputShape());
        assertEquals(OutputHead.SOFTMAX, m.head());
    }

    @Test
    void recurrentLayersCountParametersAsPyTorchDoes() {
        CompiledModel m = SpecCompiler.compile(Templates.load("rnn-rows"));
        // LSTM: 4 gates x 128 x (28 inputs + 128 recurrent + 2 biases); dense 128*10+10
        assertEquals(4 * 128 * (28 + 128 + 2) + 1290, m.parameters());
        assertEquals(List.of(128L), m.layers().get(1).outputShape());
        CompiledModel gru = SpecCompiler.compile(ModelSpec.parse(spec("{\"type\": \"reshape\", \"shape\": [28, 28]},"
                + " {\"type\": \"gru\", \"units\": 16, \"return_sequences\": true, \"bidirectional\": true},"
                + " {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 10}"), "gru.json"));
        assertEquals(List.of(28L, 32L), gru.layers().get(1).outputShape());
        assertEquals(2 * 3 * 16 * (28 + 16 + 2) + 28 * 32 * 10 + 10, gru.parameters());
        assertTrue(fails("{\"type\": \"reshape\", \"shape\": [27, 28]}").getMessage()
                .contains("\"shape\" must list positive sizes whose product is 784"));
        assertTrue(fails("{\"type\": \"lstm\", \"units\": 8}").getMessage()
                .contains("needs input of shape [steps, features]"));
    }

    @Test
    void mobileNetV2BackboneHasTorchvisionsParameterCount() throws Exception {
        String spec = "{\"name\": \"m\", \"input\": [3, 224, 224], \"layers\": [{\"type\": \"mobilenetv2\"},"
                + " {\"type\": \"global_avgpool\"}, {\"type\": \"dense\", \"units\": 1000}],"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.001}, \"training\": {\"epochs\": 1, \"batch_size\": 8}}";
        CompiledModel m = SpecCompiler.compile(ModelSpec.parse(spec, "m.json"));
        // torchvision.models.mobilenet_v2(): 3,504,872 parameters, of which the classifier has 1280*1000+1000
        assertEquals(3_504_872, m.parameters());
        assertEquals(List.of(1280L, 7L, 7L), m.layers().get(0).outputShape());
        // the block really computes what the summary says: count DJL's learnable arrays after initialising
        try (var manager = io.moxing.core.DeepLearning.engine().newBaseManager()) {
            m.initialize(manager);
            long learnable = 0;
            for (var p : m.block().getParameters()) {
                if (p.getValue().requiresGradient()) learnable += p.getValue().getArray().size();
            }
            assertEquals(3_504_872, learnable);
            var out = m.block().forward(new ai.djl.training.ParameterStore(manager, false),
                    new ai.djl.ndarray.NDList(manager.ones(new ai.djl.ndarray.types.Shape(2, 3, 224, 224))), false);
            assertEquals(new ai.djl.ndarray.types.Shape(2, 1000), out.singletonOrThrow().getShape());
        }
        assertEquals(16, MobileNetV2.divisible(16 * 1.0));
        assertEquals(8, MobileNetV2.divisible(32 * 0.25));
    }

    @Test
    void everyTemplateCompiles() {
        for (String name : Templates.NAMES) {
            ModelSpec spec = Templates.load(name);
            // a language model's vocabulary is fitted at training; any size compiles
            CompiledModel m = SpecCompiler.compile(spec.isLanguageModel() ? spec.withVocabulary(100) : spec);
            assertTrue(m.parameters() > 0, name);
        }
        CompiledModel transfer = SpecCompiler.compile(Templates.load("mobilenetv2-transfer"));
        assertEquals(OutputHead.SIGMOID, transfer.head());
        assertEquals(2_223_872 + 1280 + 1, transfer.parameters());
    }

    @Test
    void toyMlpKeepsItsSigmoidOutputUnderMse() {
        CompiledModel m = SpecCompiler.compile(Templates.load("mlp-toy"));
        assertEquals(OutputHead.NONE, m.head());
        assertEquals(2 * 5 + 5 + 5 + 1, m.parameters());
    }

    @Test
    void unknownLayerTypeNamesTheLayerAndTheKnownTypes() {
        UserException e = fails("{\"type\": \"flatten\"}, {\"type\": \"denze\", \"units\": 10}");
        assertTrue(e.getMessage().startsWith("my.json: layers[1] (denze): unknown layer type 'denze'; known types: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("dense"));
    }

    @Test
    void missingAndMistypedFieldsAreNamed() {
        assertEquals("my.json: layers[1] (dense): \"units\" is required, e.g. 128",
                fails("{\"type\": \"flatten\"}, {\"type\": \"dense\"}").getMessage());
        assertEquals("my.json: layers[0] (conv2d): \"filters\" must be a positive integer, e.g. 32",
                fails("{\"type\": \"conv2d\", \"filters\": -3, \"kernel\": 3}").getMessage());
        assertTrue(fails("{\"type\": \"dense\", \"units\": 4, \"unit\": 5}").getMessage()
                .contains("unknown field \"unit\""));
    }

    @Test
    void shapeMistakesAreReportedAgainstTheLayerThatMakesThem() {
        assertTrue(fails("{\"type\": \"flatten\"}, {\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3}").getMessage()
                .startsWith("my.json: layers[1] (conv2d): needs input of shape [channels, height, width]"));
        assertTrue(fails("{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 30}").getMessage()
                .contains("kernel does not fit the 28x28 input"));
        assertTrue(assertThrows(UserException.class, () -> SpecCompiler.compile(ModelSpec.parse(
                spec("{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3}"), "my.json"))).getMessage()
                .contains("must end in a flat vector"));
    }

    @Test
    void badTrainingAndOptimizerValuesAreNamed() {
        String bad = "{\"name\": \"t\", \"input\": [2], \"layers\": [{\"type\": \"dense\", \"units\": 1}],"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.001}, \"training\": {\"epochs\": 0}}";
        assertTrue(assertThrows(UserException.class, () -> ModelSpec.parse(bad, "s.json")).getMessage()
                .contains("training.epochs 0 must be between 1 and 1000000"));
        String typo = bad.replace("\"epochs\": 0", "\"epochs\": 1, \"batchsize\": 3");
        assertTrue(assertThrows(UserException.class, () -> ModelSpec.parse(typo, "s.json")).getMessage()
                .contains("batchsize"));
        String badJson = "{\"name\": \"t\",\n \"input\": [2],,}";
        assertTrue(assertThrows(UserException.class, () -> ModelSpec.parse(badJson, "s.json")).getMessage()
                .startsWith("s.json: line 2: not valid JSON"));
    }

    @Test
    void specRoundTripsThroughItsJson() {
        ModelSpec spec = Templates.load("cnn-28").withOverrides(3, 64, 0.01, 9L);
        ModelSpec again = ModelSpec.parse(spec.toJson().toString(), "again");
        assertEquals(3, again.training().epochs());
        assertEquals(64, again.training().batchSize());
        assertEquals(0.01, again.optimizer().learningRate());
        assertEquals(9L, again.training().seed());
        assertEquals(spec.layers().size(), again.layers().size());
    }
}
