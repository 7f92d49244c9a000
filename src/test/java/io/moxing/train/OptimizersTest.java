package io.moxing.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.moxing.core.DeepLearning;
import io.moxing.model.OptimizerSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against the update rule written out in plain Java, as torch.optim defines it, also for a
 * parameter that is a strided view and across a save and load of the optimizer's state, as a resumed run does.
 */
class OptimizersTest {
    private static final float[] START = {0.5f, -1.0f, 2.0f, 0.0f};

    /** The gradient at step t: d/dw of sum(w * c_t) is c_t. */
    private static float[] gradient(int t) {
        return new float[] {0.1f * t, -0.3f, 1.0f / t, (t % 2 == 0 ? 1 : -1) * 0.05f};
    }

    private static float[] run(OptimizerSpec spec, int steps) {
        return run(spec, steps, false, 0);
    }

    /**
     * Trains one parameter for {@code steps}; {@code strided}: the parameter is a transposed view of its
     * storage; {@code resumeAt} > 0: the optimizer is saved after that step and a fresh one loaded from the
     * bytes takes over, as a resumed run does.
     */
    private static float[] run(OptimizerSpec spec, int steps, boolean strided, int resumeAt) {
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            NDArray w = strided
                    ? manager.create(new float[] {START[0], START[2], START[1], START[3]}, new Shape(2, 2)).transpose()
                    : manager.create(START);
            w.setRequiresGradient(true);
            p.setArray(w);
            Optimizer optimizer = Optimizers.create(spec);
            for (int t = 1; t <= steps; t++) {
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray c = scratch.create(gradient(t)).reshape(w.getShape());
                    try (GradientCollector gc = DeepLearning.engine().newGradientCollector()) {
                        gc.backward(w.mul(c).sum());
                    }
                    optimizer.step(java.util.Map.of("w", p), spec.learningRate(), scratch);
                }
                if (t == resumeAt) {
                    ByteArrayOutputStream saved = new ByteArrayOutputStream();
                    try (DataOutputStream out = new DataOutputStream(saved)) {
                        optimizer.save(out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    optimizer = Optimizers.create(spec);
                    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.toByteArray()))) {
                        optimizer.load(in, manager);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return w.toFloatArray();
        }
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void adamMatchesTorchOptimAdam() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        double[] w = {START[0], START[1], START[2], START[3]};
        double[] m = new double[4], v = new double[4];
        for (int t = 1; t <= 7; t++) {
            float[] g = gradient(t);
            for (int i = 0; i < 4; i++) {
                double gi = g[i] + wd * w[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
            }
        }
        OptimizerSpec spec = new OptimizerSpec("adam", lr, 0, false, b1, b2, eps, 0, wd);
        assertClose(w, run(spec, 7));
        assertClose(w, run(spec, 7, true, 0));
        assertClose(w, run(spec, 7, false, 3));
        assertClose(w, run(spec, 7, true, 3));
    }

    @Test
    void adamwDecaysWeightsDecoupled() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        double[] w = {START[0], START[1], START[2], START[3]};
        double[] m = new double[4], v = new double[4];
        for (int t = 1; t <= 5; t++) {
            float[] g = gradient(t);
            for (int i = 0; i < 4; i++) {
                w[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
            }
        }
        OptimizerSpec spec = new OptimizerSpec("adamw", lr, 0, false, b1, b2, eps, 0, wd);
        assertClose(w, run(spec, 5));
        assertClose(w, run(spec, 5, true, 0));
        assertClose(w, run(spec, 5, false, 2));
    }

    @Test
    void sgdWithMomentumNesterovAndWeightDecay() {
        for (double wd : new double[] {0, 0.05}) {
            for (boolean nesterov : new boolean[] {false, true}) {
                double lr = 0.1, mu = 0.9;
                double[] w = {START[0], START[1], START[2], START[3]};
                double[] buf = new double[4];
                for (int t = 1; t <= 6; t++) {
                    float[] g = gradient(t);
                    for (int i = 0; i < 4; i++) {
                        double gi = g[i] + wd * w[i];
                        buf[i] = mu * buf[i] + gi;
                        w[i] -= lr * (nesterov ? gi + mu * buf[i] : buf[i]);
                    }
                }
                OptimizerSpec spec = new OptimizerSpec("sgd", lr, mu, nesterov, 0, 0, 0, 0, wd);
                assertClose(w, run(spec, 6));
                assertClose(w, run(spec, 6, true, 3));
            }
        }
    }

    @Test
    void rmsprop() {
        double lr = 0.01, rho = 0.9, eps = 1e-7;
        double[] w = {START[0], START[1], START[2], START[3]};
        double[] s = new double[4];
        for (int t = 1; t <= 6; t++) {
            float[] g = gradient(t);
            for (int i = 0; i < 4; i++) {
                s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
                w[i] -= lr * g[i] / (Math.sqrt(s[i]) + eps);
            }
        }
        assertClose(w, run(new OptimizerSpec("rmsprop", lr, 0, false, 0, 0, eps, rho, 0), 6));
    }

    /**
     * A step leaves each weight without a gradient, as PyTorch 2's zero_grad() does, so that the next backward pass
     * hands its gradient over instead of adding it into a zeroed one; the weight still requires one, and the
     * steps above show that no gradient carries over into the next.
     */
    @Test
    void aStepLeavesTheWeightWithoutAGradient() {
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            NDArray w = manager.create(START);
            w.setRequiresGradient(true);
            p.setArray(w);
            Optimizer optimizer = Optimizers.create(new OptimizerSpec("adam", 0.01, 0, false, 0.9, 0.999, 1e-8, 0, 0));
            for (int t = 1; t <= 2; t++) {
                try (NDManager scratch = manager.newSubManager()) {
                    try (GradientCollector gc = DeepLearning.engine().newGradientCollector()) {
                        gc.backward(w.mul(scratch.create(gradient(t))).sum());
                    }
                    assertNotNull(JniUtils.getGradient((PtNDArray) w), "the backward pass gave the weight a gradient");
                    optimizer.step(Map.of("w", p), 0.01, scratch);
                }
                assertNull(JniUtils.getGradient((PtNDArray) w), "the gradient was released after step " + t);
                assertTrue(JniUtils.requiresGrad((PtNDArray) w), "the weight still requires a gradient");
            }
        }
    }
}
