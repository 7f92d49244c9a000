package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;

/** Loss and accuracy of a block on a split, in inference mode and in batches, for validation. */
public final class Evaluation {
    static final int BATCH = 500;

    private Evaluation() {}

    /** Mean loss and, for classification, accuracy. */
    public record Score(double loss, Double accuracy) {}

    public static Score score(Block block, ParameterStore store, NDManager manager, TensorData data, Loss loss,
                              Targets targets) {
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < data.count(); from += BATCH) {
            int to = Math.min(data.count(), from + BATCH);
            long[] indices = new long[to - from];
            for (int i = from; i < to; i++) indices[i - from] = i;
            try (NDManager scratch = manager.newSubManager()) {
                NDArray[] batch = data.gather(scratch, indices);
                NDList out = block.forward(store, new NDList(batch[0]), false);
                lossSum += loss.evaluate(new NDList(batch[1]), out).getFloat() * indices.length;
                correct += targets.correct(out.singletonOrThrow(), batch[1]);
            }
        }
        return new Score(lossSum / data.count(), targets.hasAccuracy() ? (double) correct / data.count() : null);
    }
}
