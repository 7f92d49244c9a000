package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.NativeResource;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;

/** Gradient housekeeping: releasing after an update and clipping by global norm. */
final class Gradients {
    /** The field holding a DJL array's native tensor; null where DJL's classes differ from 0.34's. */
    private static final Field TENSOR = tensorField();

    private Gradients() {}

    /**
     * Leaves the weight without a gradient, as PyTorch 2's {@code zero_grad()} does by default (set to None):
     * the next backward pass then hands its gradient over, where a zeroed one costs a write of every gradient
     * and a read-modify-write to add the new one into it, each step (docs/DECISIONS.md). DJL can only zero, so
     * the weight's native tensor is replaced inside its NDArray by a detached one: the same storage and strides,
     * requiring grad, without a gradient. The NDArray object stays, so the block, the parameter store and the
     * optimizer still hold the weight they held. Where that field cannot be reached, the gradient is zeroed.
     * This assumes no one else holds the weight's tensor: true of every trainable weight here (DJL's own arrays; an
     * imported TorchScript backbone, whose module holds its tensors itself, is frozen).
     */
    static void release(NDArray weight, NDArray grad) {
        if (!(weight instanceof PtNDArray pt)) {
            grad.subi(grad);
        } else if (TENSOR == null) {
            JniUtils.zeroGrad(pt);
        } else {
            PtNDArray detached = JniUtils.detachGradient(pt);
            swapTensors(pt, detached);
            detached.close(); // now the weight's former tensor, whose gradient goes with it
            JniUtils.attachGradient(pt, true);
        }
    }

    @SuppressWarnings("unchecked")
    private static void swapTensors(PtNDArray a, PtNDArray b) {
        try {
            var first = (AtomicReference<Long>) TENSOR.get(a);
            var second = (AtomicReference<Long>) TENSOR.get(b);
            second.set(first.getAndSet(second.get()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot replace a weight's tensor", e);
        }
    }

    private static Field tensorField() {
        try {
            Field f = NativeResource.class.getDeclaredField("handle");
            f.setAccessible(true);
            return f.getType() == AtomicReference.class ? f : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
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
