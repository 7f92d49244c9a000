package io.moxing.train;

import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.moxing.model.OutputHead;

/** The loss a spec names, matched to the network's output head (logits when the head is fused). */
public final class Losses {
    private Losses() {}

    public static Loss of(String name, OutputHead head) {
        return switch (name) {
            // sparse labels; the network emits logits and softmax is fused into the loss
            case "cross_entropy" -> new SoftmaxCrossEntropyLoss("cross_entropy", 1, -1, true, head == OutputHead.SOFTMAX);
            case "binary_cross_entropy" -> new SigmoidBinaryCrossEntropyLoss("binary_cross_entropy", 1,
                    head != OutputHead.SIGMOID);
            // mean of (y - y_hat)^2 over every element; DJL's default L2Loss halves it
            case "mse" -> new L2Loss("mse", 1f);
            case "mae" -> new L1Loss("mae", 1f);
            default -> throw new IllegalArgumentException(name);
        };
    }
}
