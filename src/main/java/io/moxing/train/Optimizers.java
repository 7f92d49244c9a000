package io.moxing.train;

import io.moxing.model.OptimizerSpec;

/** Builds the optimizer a spec names. */
public final class Optimizers {
    private Optimizers() {}

    public static Optimizer create(OptimizerSpec spec) {
        return switch (spec.type()) {
            case "sgd" -> new Sgd(spec.momentum(), spec.nesterov(), spec.weightDecay());
            case "adam" -> new Adam(spec.beta1(), spec.beta2(), spec.epsilon(), spec.weightDecay(), false);
            case "adamw" -> new Adam(spec.beta1(), spec.beta2(), spec.epsilon(), spec.weightDecay(), true);
            case "rmsprop" -> new RmsProp(spec.rho(), spec.epsilon(), spec.momentum(), spec.weightDecay());
            default -> throw new IllegalArgumentException(spec.type());
        };
    }
}
