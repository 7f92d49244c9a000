package io.moxing.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;
import java.util.Set;

/**
 * The optimizer and its hyper-parameters. {@code weight_decay} is L2 added to the gradient for SGD,
 * Adam and RMSProp, and decoupled decay for AdamW.
 */
public record OptimizerSpec(
        String type,
        @JsonProperty("lr") double learningRate,
        double momentum,
        boolean nesterov,
        double beta1,
        double beta2,
        double epsilon,
        double rho,
        @JsonProperty("weight_decay") double weightDecay) {

    public static final Set<String> TYPES = Set.of("sgd", "adam", "adamw", "rmsprop");

    public OptimizerSpec {
        type = type == null ? "adam" : type;
        if (!TYPES.contains(type)) {
            throw new UserException("invalid_spec", "optimizer.type '" + type + "' must be one of " + TYPES);
        }
        if (!(learningRate > 0) || learningRate > 10) {
            throw new UserException("invalid_spec", "optimizer.lr " + learningRate + " must be in (0, 10], e.g. 0.001");
        }
        if (momentum < 0 || momentum >= 1) {
            throw new UserException("invalid_spec", "optimizer.momentum " + momentum + " must be in [0, 1), e.g. 0.9");
        }
        beta1 = beta1 == 0 ? 0.9 : beta1;
        beta2 = beta2 == 0 ? 0.999 : beta2;
        epsilon = epsilon == 0 ? (type.equals("rmsprop") ? 1e-7 : 1e-8) : epsilon;
        rho = rho == 0 ? 0.9 : rho;
        if (weightDecay < 0) {
            throw new UserException("invalid_spec", "optimizer.weight_decay " + weightDecay + " must be >= 0, e.g. 0.0005");
        }
    }

    public OptimizerSpec withLearningRate(double lr) {
        return new OptimizerSpec(type, lr, momentum, nesterov, beta1, beta2, epsilon, rho, weightDecay);
    }
}
