package io.moxing.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.moxing.core.DeepLearning;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The channels-last layout changes the speed of an image stack, never its outputs or its gradients. */
class ChannelsLastSequenceTest {

    @Test
    void imageStacksStartingWithAConvolutionUseIt() {
        assertInstanceOf(ChannelsLastSequence.class, SpecCompiler.compile(Templates.load("cnn-28")).block());
        assertInstanceOf(ChannelsLastSequence.class, SpecCompiler.compile(Templates.load("lenet-cifar")).block());
        assertFalse(SpecCompiler.compile(Templates.load("rnn-rows")).block() instanceof ChannelsLastSequence);
        assertFalse(SpecCompiler.compile(Templates.load("mlp-toy")).block() instanceof ChannelsLastSequence);
    }

    @Test
    void outputsAndGradientsEqualThoseOfTheSameLayersInNchw() {
        for (String recipe : List.of("cnn-28", "lenet-cifar")) {
            CompiledModel model = SpecCompiler.compile(Templates.load(recipe));
            try (NDManager manager = DeepLearning.engine().newBaseManager()) {
                DeepLearning.seed(7);
                model.initialize(manager);
                long[] sample = model.inputShape();
                NDArray x = manager.randomUniform(0, 1, new Shape(5, sample[0], sample[1], sample[2]));
                ParameterStore store = new ParameterStore(manager, false);

                NDArray channelsLast;
                List<float[]> gradientsLast;
                try (GradientCollector gc = DeepLearning.engine().newGradientCollector()) {
                    channelsLast = model.block().forward(store, new NDList(x), true).singletonOrThrow();
                    gc.backward(channelsLast.square().sum());
                }
                gradientsLast = gradients(model.block());
                zeroGradients(model.block());

                NDArray plain;
                try (GradientCollector gc = DeepLearning.engine().newGradientCollector()) {
                    NDList h = new NDList(x);
                    for (Block child : model.block().getChildren().values()) {
                        h = child.forward(store, h, true);
                    }
                    plain = h.singletonOrThrow();
                    gc.backward(plain.square().sum());
                }
                List<float[]> gradientsPlain = gradients(model.block());

                assertEquals(plain.getShape(), channelsLast.getShape(), recipe);
                assertClose(plain.toFloatArray(), channelsLast.toFloatArray(), recipe + " outputs");
                assertEquals(gradientsPlain.size(), gradientsLast.size());
                for (int i = 0; i < gradientsPlain.size(); i++) {
                    assertClose(gradientsPlain.get(i), gradientsLast.get(i), recipe + " gradient " + i);
                }
                // the layout is internal: what the next layer or the caller reads is in NCHW order
                NDArray laidOut = ChannelsLastSequence.channelsLast(x);
                assertArrayEquals(x.toFloatArray(), laidOut.toFloatArray());
                // one sample (a request served alone) is faster in NCHW and stays so
                NDArray one = x.get("0:1");
                assertSame(one, ChannelsLastSequence.channelsLast(one));
            }
        }
    }

    private static List<float[]> gradients(Block block) {
        List<float[]> out = new ArrayList<>();
        for (var pair : block.getParameters()) {
            Parameter p = pair.getValue();
            out.add(p.getArray().getGradient().toFloatArray());
        }
        return out;
    }

    private static void zeroGradients(Block block) {
        for (var pair : block.getParameters()) {
            NDArray g = pair.getValue().getArray().getGradient();
            g.subi(g);
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-4 * Math.max(1, scale),
                    what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
        }
    }
}
