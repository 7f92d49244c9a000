package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adam (Kingma and Ba) with bias correction, as torch.optim.Adam computes it; with {@code decoupled}
 * it is AdamW (weight decay applied to the weights, not added to the gradient).
 */
final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final boolean decoupled;

    Adam(double beta1, double beta2, double epsilon, double weightDecay, boolean decoupled) {
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.weightDecay = (float) weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected void update(String id, NDArray weight, NDArray grad, double lr, NDManager scratch) {
        NDArray[] moments = stateFor(id, weight, 2);
        NDArray m = moments[0];
        NDArray v = moments[1];
        NDArray g = grad;
        if (weightDecay > 0 && decoupled) {
            weight.muli((float) (1 - lr * weightDecay));
        } else if (weightDecay > 0) {
            g = grad.add(temp(weight.mul(weightDecay), scratch));
        }
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        // m = beta1 m + (1 - beta1) g ;  v = beta2 v + (1 - beta2) g^2
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.square().muli(1 - beta2));
        // w -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps)
        NDArray denominator = temp(v.sqrt(), scratch).muli((float) (1 / Math.sqrt(correction2))).addi(epsilon);
        NDArray delta = temp(m.div(denominator), scratch).muli((float) (lr / correction1));
        weight.subi(delta);
    }
}
