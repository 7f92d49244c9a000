package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The two optimizers a search tries, each with the learning-rate and weight-decay ranges where it works:
 * AdamW's decay is decoupled (applied to the weights, scaled by the learning rate) and wants values
 * near 1e-2, SGD's is an L2 term in the gradient and wants values near 5e-4.
 */
public enum OptimizerChoice {
    ADAMW(new LogRange(3e-4, 3e-3), new LogRange(1e-4, 1e-1)),
    SGD_NESTEROV(new LogRange(1e-2, 2e-1), new LogRange(1e-5, 1e-3));

    final LogRange learningRate;
    final LogRange weightDecay;

    OptimizerChoice(LogRange learningRate, LogRange weightDecay) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A range sampled uniformly in log space, as learning rates and decays are. */
    record LogRange(double low, double high) {
        double sample(java.util.Random random) {
            return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
        }
    }
}
