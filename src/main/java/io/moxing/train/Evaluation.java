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
    /** Output values one evaluation batch may hold (a language model's are context x vocabulary per sample). */
    private static final long OUTPUT_BUDGET = 1L << 22;

    private Evaluation() {}

    /** Mean loss and, for classification, accuracy. */
    public record Score(double loss, Double accuracy) {}

    public static Score score(Block block, ParameterStore store, NDManager manager, TensorData data, Loss loss,
                              Targets targets) {
        double lossSum = 0;
        long correct = 0;
        // a small first batch measures the output size, then batches grow to the budget
        int batchSize = 8;
        for (int from = 0, to; from < data.count(); from = to) {
            to = Math.min(data.count(), from + batchSize);
            long[] indices = new long[to - from];
            for (int i = from; i < to; i++) indices[i - from] = i;
            try (NDManager scratch = manager.newSubManager()) {
                NDArray[] batch = data.gather(scratch, indices);
                NDList out = block.forward(store, new NDList(batch[0]), false);
                long perSample = out.singletonOrThrow().size() / indices.length;
                batchSize = (int) Math.max(1, Math.min(BATCH, OUTPUT_BUDGET / perSample));
                lossSum += loss.evaluate(new NDList(batch[1]), out).getFloat() * indices.length;
                correct += targets.correct(out.singletonOrThrow(), batch[1]);
            }
        }
        return new Score(lossSum / data.count(), targets.hasAccuracy() ? (double) correct / data.count() : null);
    }
}
