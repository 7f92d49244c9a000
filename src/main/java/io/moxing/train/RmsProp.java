package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** RMSProp: divide the gradient by a running root-mean-square, optionally with momentum. */
final class RmsProp extends Optimizer {
    private final float rho;
    private final float epsilon;
    private final float momentum;
    private final float weightDecay;

    RmsProp(double rho, double epsilon, double momentum, double weightDecay) {
        this.rho = (float) rho;
        this.epsilon = (float) epsilon;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    protected void update(String id, NDArray weight, NDArray grad, double lr, NDManager scratch) {
        NDArray[] s = stateFor(id, weight, momentum > 0 ? 2 : 1);
        NDArray g = weightDecay > 0 ? grad.add(temp(weight.mul(weightDecay), scratch)) : grad;
        s[0].muli(rho).addi(g.square().muli(1 - rho));
        NDArray step = g.div(temp(s[0].sqrt(), scratch).addi(epsilon));
        if (momentum > 0) {
            s[1].muli(momentum).addi(step);
            step = s[1];
        }
        weight.subi(temp(step.mul((float) lr), scratch));
    }
}
