package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/** Gradient housekeeping: releasing after an update and clipping by global norm. */
final class Gradients {
    private Gradients() {}

    /**
     * Leaves the weight without a gradient, as PyTorch 2's {@code zero_grad()} does by default (set to None):
     * the next backward pass then hands its gradient over, where a zeroed one costs a write of every gradient
     * and a read-modify-write to add the new one into it, each step (docs/DECISIONS.md). DJL can only zero, so
     * the weight's NDArray takes over a detached view of its own tensor ({@code intern}: the same storage and
     * strides, without a gradient) and is made to require one again; the former tensor goes, its gradient with it.
     * The NDArray object stays, so the block, the parameter store and the optimizer still hold the weight they held.
     * This assumes no one else holds the former tensor: true of every trainable weight here (DJL's own arrays; an
     * imported TorchScript backbone, whose module holds its tensors itself, is frozen), and arrays made from a weight
     * must not be left in its manager, where each would keep a former tensor and its gradient alive.
     */
    static void release(NDArray weight, NDArray grad) {
        if (weight instanceof PtNDArray pt) {
            pt.intern(JniUtils.detachGradient(pt));
            JniUtils.attachGradient(pt, true);
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
