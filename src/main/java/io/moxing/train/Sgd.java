package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** SGD with optional momentum and Nesterov momentum, as torch.optim.SGD defines them; L2 via weight decay. */
final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;

    Sgd(double momentum, boolean nesterov, double weightDecay) {
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    protected void update(String id, NDArray weight, NDArray grad, double lr, NDManager scratch) {
        NDArray g = grad;
        if (weightDecay > 0) {
            g = grad.add(temp(weight.mul(weightDecay), scratch));
        }
        if (momentum > 0) {
            NDArray velocity = stateFor(id, weight, 1)[0];
            velocity.muli(momentum).addi(g);
            g = nesterov ? g.add(temp(velocity.mul(momentum), scratch)) : velocity;
        }
        weight.subi(temp(g.mul((float) lr), scratch));
    }
}
