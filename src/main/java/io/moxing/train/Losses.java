package io.moxing.train;

import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/** The loss a spec names. */
public final class Losses {
    private Losses() {}

    /**
     * Softmax cross-entropy over the last axis for any number of leading axes: a classifier's
     * [batch, classes] against [batch], or a language model's [batch, positions, vocabulary] against
     * [batch, positions], averaged over every position (DJL's picking handles only the first).
     */
    private static final class PositionwiseCrossEntropy extends SoftmaxCrossEntropyLoss {
        PositionwiseCrossEntropy() {
            super("cross_entropy", 1, -1, true, true);
        }

        @Override
        public ai.djl.ndarray.NDArray evaluate(ai.djl.ndarray.NDList label, ai.djl.ndarray.NDList prediction) {
            ai.djl.ndarray.NDArray logits = prediction.singletonOrThrow();
            if (logits.getShape().dimension() <= 2) {
                return super.evaluate(label, prediction);
            }
            long classes = logits.getShape().get(logits.getShape().dimension() - 1);
            return super.evaluate(new ai.djl.ndarray.NDList(label.singletonOrThrow().reshape(-1)),
                    new ai.djl.ndarray.NDList(logits.reshape(-1, classes)));
        }
    }

    /** The network emits logits under both cross-entropies (see SpecCompiler's output head). */
    public static Loss of(String name) {
        return switch (name) {
            // sparse labels (class indices); log-softmax is applied inside the loss
            case "cross_entropy" -> new PositionwiseCrossEntropy();
            case "binary_cross_entropy" -> new SigmoidBinaryCrossEntropyLoss("binary_cross_entropy", 1, false);
            // mean of (y - y_hat)^2 over every element; DJL's default L2Loss halves it
            case "mse" -> new L2Loss("mse", 1f);
            case "mae" -> new L1Loss("mae", 1f);
            default -> throw new IllegalArgumentException(name);
        };
    }
}
