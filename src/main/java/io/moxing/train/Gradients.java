package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/** Gradient housekeeping: zeroing after an update and clipping by global norm. */
final class Gradients {
    private Gradients() {}

    static void zero(NDArray weight, NDArray grad) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            grad.subi(grad);
        }
    }

    /** Scales every gradient so that their joint L2 norm is at most {@code maxNorm}; returns the norm before. */
    static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm, NDManager scratch) {
        double sumSquares = 0;
        for (Parameter p : parameters) {
            NDArray g = p.getArray().getGradient();
            g.attach(scratch);
            sumSquares += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Parameter p : parameters) {
                NDArray g = p.getArray().getGradient();
                g.attach(scratch);
                g.muli(scale);
            }
        }
        return norm;
    }
}
