package io.moxing.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.moxing.core.DeepLearning;
import io.moxing.core.UserException;
import io.moxing.data.SplitData;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import io.moxing.compress.onnx.ModelProto;
import io.moxing.compress.onnx.NodeProto;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX export behind {@code --method onnx-int8}, on a network holding every layer kind it exports (a folded and a
 * standalone batch norm with non-trivial statistics, residual blocks with and without a projection, both kinds of
 * pooling, dense layers with and without bias): {@link OnnxInt8#build} refuses an export whose float graph answers
 * differently from the DJL model, so building at all is the check; the int8 graph then runs in ONNX Runtime. The
 * round trip on real data (accuracy, registry, HTTP) is in {@code CompressRoundTripTest}.
 */
class OnnxInt8Test {
    private static final String EVERY_LAYER = """
            {"name": "every-layer", "input": [1, 12, 12],
             "layers": [
               {"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same", "bias": false}, {"type": "batchnorm"}, {"type": "relu"},
               {"type": "maxpool", "size": 2},
               {"type": "residual", "layers": [{"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same", "activation": "relu"},
                                               {"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same", "bias": false},
                                               {"type": "batchnorm"}]},
               {"type": "relu"},
               {"type": "residual", "layers": [{"type": "conv2d", "filters": 12, "kernel": 3, "stride": 2, "padding": "same"},
                                               {"type": "relu"}]},
               {"type": "avgpool", "size": 1},
               {"type": "global_avgpool"},
               {"type": "dense", "units": 16, "bias": false}, {"type": "batchnorm"}, {"type": "tanh"},
               {"type": "dropout", "rate": 0.3},
               {"type": "dense", "units": 5, "activation": "softmax"}],
             "loss": "cross_entropy", "optimizer": {"type": "adam", "lr": 0.001}, "training": {"epochs": 1, "batch_size": 8, "seed": 3}}
            """;

    /** Float islands: a batch norm after an activated convolution, sigmoid, global max pooling. */
    private static final String FLOAT_ISLANDS = """
            {"name": "float-islands", "input": [2, 8, 8],
             "layers": [
               {"type": "conv2d", "filters": 6, "kernel": 3, "activation": "relu"}, {"type": "batchnorm"}, {"type": "sigmoid"},
               {"type": "conv2d", "filters": 6, "kernel": 3, "padding": "same"},
               {"type": "global_maxpool"},
               {"type": "dense", "units": 4}],
             "loss": "cross_entropy", "optimizer": {"type": "adam", "lr": 0.001}, "training": {"epochs": 1, "batch_size": 8, "seed": 3}}
            """;

    @TempDir Path tmp;

    @Test
    void everyLayerKindExportsAsTheModelComputesItAndRunsInInt8Kernels() throws Exception {
        byte[] int8 = exportAndCompare(EVERY_LAYER, new long[] {1, 12, 12}, 5);
        // what ONNX Runtime made of it: every convolution, dense layer and addition in an integer kernel
        Path optimized = tmp.resolve("optimized.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            OrtEnvironment.getEnvironment().createSession(int8, options).close();
        }
        List<String> ops = ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph().getNodeList().stream()
                .map(NodeProto::getOpType).toList();
        assertTrue(ops.contains("QLinearConv") && ops.contains("QGemm") && ops.contains("QLinearAdd"), ops.toString());
        assertFalse(ops.contains("Conv") || ops.contains("Gemm") || ops.contains("Add"), "float ops left: " + ops);
    }

    @Test
    void floatIslandsExportAndRunToo() throws Exception {
        exportAndCompare(FLOAT_ISLANDS, new long[] {2, 8, 8}, 4);
    }

    /**
     * Builds the spec with trained-looking batch-norm statistics, exports and quantizes it ({@link OnnxInt8#build}
     * refuses a float export that answers differently from the model), and compares the int8 model's answers with
     * the DJL model's on random inputs. Returns the int8 model.
     */
    private static byte[] exportAndCompare(String json, long[] sample, int classes) throws Exception {
        CompiledModel model = SpecCompiler.compile(ModelSpec.parse(json, "spec.json"));
        int size = (int) (sample[0] * sample[1] * sample[2]);
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            DeepLearning.seed(3);
            model.initialize(manager);
            Random random = new Random(3);
            for (var p : model.block().getParameters()) {
                // trained-looking statistics, so that a wrong fold or epsilon shows in the outputs
                Parameter parameter = p.getValue();
                if (parameter.getType() == Parameter.Type.RUNNING_MEAN || parameter.getType() == Parameter.Type.RUNNING_VAR
                        || parameter.getType() == Parameter.Type.GAMMA || parameter.getType() == Parameter.Type.BETA) {
                    float[] v = new float[(int) parameter.getArray().size()];
                    boolean positive = parameter.getType() == Parameter.Type.RUNNING_VAR || parameter.getType() == Parameter.Type.GAMMA;
                    for (int i = 0; i < v.length; i++) v[i] = positive ? 0.5f + random.nextFloat() : random.nextFloat() - 0.5f;
                    parameter.getArray().set(FloatBuffer.wrap(v));
                }
            }
            int count = 200;
            float[] x = new float[count * size];
            for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
            SplitData data = new SplitData("train", x, new float[count], sample);

            byte[] int8 = OnnxInt8.build(model, manager, data, new PrintStream(PrintStream.nullOutputStream()));

            float[][] expected = new io.moxing.predict.Inference(model.block(), model.head(), manager)
                    .run(x, model.inputShape(), count, count);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = io.moxing.model.OnnxRunner.session(int8);
                 OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {count, sample[0], sample[1], sample[2]});
                 OrtSession.Result result = session.run(Map.of(OnnxGraph.INPUT, input))) {
                float[][] probabilities = (float[][]) result.get(0).getValue();
                assertEquals(count, probabilities.length);
                assertEquals(classes, probabilities[0].length);
                int agree = 0;
                double error = 0;
                for (int i = 0; i < count; i++) {
                    float[] p = probabilities[i];
                    if (argmax(p) == argmax(expected[i])) agree++;
                    for (int c = 0; c < classes; c++) error += Math.abs(p[c] - expected[i][c]);
                }
                error /= count * classes;
                // 8 bits move a probability by little and change few decisions; a wrong scale or bias would not
                assertTrue(agree >= count * 0.9, agree + " of " + count + " int8 answers agree with float32");
                assertTrue(error < 0.02, "mean probability error " + error);
            }
            return int8;
        }
    }

    @Test
    void aLayerWithoutExportIsRefusedByName() {
        CompiledModel model = SpecCompiler.compile(ModelSpec.parse("""
                {"name": "recurrent", "input": [6, 4], "layers": [{"type": "lstm", "units": 8}, {"type": "dense", "units": 3}],
                 "optimizer": {"type": "adam", "lr": 0.001}, "training": {"epochs": 1, "batch_size": 8},
                 "loss": "cross_entropy"}
                """, "recurrent.json"));
        UserException e = assertThrows(UserException.class, () -> OnnxExport.of(model));
        assertEquals("unsupported_model", e.code());
        assertTrue(e.getMessage().contains("lstm"), e.getMessage());
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
