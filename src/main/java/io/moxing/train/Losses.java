package io.moxing.train;

import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/** The loss a spec names. */
public final class Losses {
    private Losses() {}

    /** The network emits logits under both cross-entropies (see SpecCompiler's output head). */
    public static Loss of(String name) {
        return switch (name) {
            // sparse labels (class indices); log-softmax is applied inside the loss
            case "cross_entropy" -> new SoftmaxCrossEntropyLoss("cross_entropy", 1, -1, true, true);
            case "binary_cross_entropy" -> new SigmoidBinaryCrossEntropyLoss("binary_cross_entropy", 1, false);
            // mean of (y - y_hat)^2 over every element; DJL's default L2Loss halves it
            case "mse" -> new L2Loss("mse", 1f);
            case "mae" -> new L1Loss("mae", 1f);
            default -> throw new IllegalArgumentException(name);
        };
    }
}
