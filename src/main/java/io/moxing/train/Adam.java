package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adam (Kingma and Ba) with bias correction, computing the same update as torch.optim.Adam; with
 * {@code decoupled} it is AdamW (weight decay applied to the weights, not added to the gradient).
 *
 * <p>DJL offers no fused tensor operations (PyTorch's addcmul/addcdiv), so every pass over the
 * parameters costs a separate operation. To need fewer, the moments are kept unnormalised,
 * {@code M = m / (1 - beta1)} and {@code V = v / (1 - beta2)}, which turns the updates into
 * {@code M = beta1 M + g} and {@code V = beta2 V + g^2}; the gradient's own buffer, released after the
 * step anyway, holds g^2; the constant factors are folded into one step size and one epsilon per
 * step. Constants are tensors made once, since each Java scalar passed to an operation costs a tensor
 * allocation through JNI. Measured in docs/BENCHMARKS.md.
 */
final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final boolean decoupled;
    private NDArray beta1Tensor;
    private NDArray beta2Tensor;
    private NDArray epsilonTerm;
    private NDArray stepSize;

    Adam(double beta1, double beta2, double epsilon, double weightDecay, boolean decoupled) {
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.weightDecay = (float) weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected void beginStep(double lr, NDManager scratch) {
        double c1 = 1 - Math.pow(beta1, steps);
        double c2 = 1 - Math.pow(beta2, steps);
        // torch: w -= lr/c1 * m / (sqrt(v)/sqrt(c2) + eps), with m = (1-b1) M and v = (1-b2) V:
        //        w -= [lr (1-b1) sqrt(c2) / (c1 sqrt(1-b2))] * M / (sqrt(V) + eps sqrt(c2) / sqrt(1-b2))
        double root = Math.sqrt(c2 / (1 - beta2));
        epsilonTerm = scratch.create((float) (epsilon * root));
        stepSize = scratch.create((float) (lr * (1 - beta1) * root / c1));
    }

    @Override
    protected void update(String id, NDArray weight, NDArray grad, double lr, NDManager scratch) {
        if (beta1Tensor == null) {
            beta1Tensor = weight.getManager().create(beta1);
            beta2Tensor = weight.getManager().create(beta2);
        }
        NDArray[] moments = stateFor(id, weight, 2);
        NDArray m = moments[0];
        NDArray v = moments[1];
        if (weightDecay > 0 && decoupled) {
            weight.muli((float) (1 - lr * weightDecay));
        } else if (weightDecay > 0) {
            grad.addi(temp(weight.mul(weightDecay), scratch));
        }
        m.muli(beta1Tensor).addi(grad);
        v.muli(beta2Tensor).addi(grad.muli(grad));
        NDArray denominator = temp(v.sqrt(), scratch).addi(epsilonTerm);
        weight.subi(temp(m.div(denominator), scratch).muli(stepSize));
    }
}
