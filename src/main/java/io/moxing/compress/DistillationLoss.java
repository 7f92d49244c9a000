package io.moxing.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.moxing.train.Losses;

/**
 * Hinton et al.'s distillation loss for a batch: {@code alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T))
 * + (1 - alpha) * cross-entropy(student, labels)}, both averaged over the batch. T softens both distributions so
 * that the teacher's small probabilities (a shirt that looks a little like a coat) carry signal; T^2 keeps the soft
 * term's gradients on the scale of the hard term's as T changes.
 */
final class DistillationLoss {
    private final float temperature;
    private final float alpha;
    private final Loss crossEntropy = Losses.of("cross_entropy");

    DistillationLoss(double temperature, double alpha) {
        this.temperature = (float) temperature;
        this.alpha = (float) alpha;
    }

    /** Logits [batch, classes] of both models and class indices [batch]; a scalar. */
    NDArray evaluate(NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        NDArray logQ = studentLogits.div(temperature).logSoftmax(-1);
        NDArray logP = teacherLogits.div(temperature).logSoftmax(-1);
        // KL(p || q) = sum p (log p - log q), per sample, then the batch mean
        NDArray kl = logP.exp().mul(logP.sub(logQ)).sum(new int[] {-1}).mean();
        NDArray hard = crossEntropy.evaluate(new NDList(labels), new NDList(studentLogits));
        return kl.mul(alpha * temperature * temperature).add(hard.mul(1 - alpha));
    }
}
