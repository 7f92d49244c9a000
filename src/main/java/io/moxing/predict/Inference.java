package io.moxing.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.moxing.model.OutputHead;

/** Runs a block on packed samples in batches and returns its outputs with the output head applied. */
public final class Inference {
    private final Block block;
    private final OutputHead head;
    private final NDManager manager;
    private final ParameterStore store;

    public Inference(Block block, OutputHead head, NDManager manager) {
        this.block = block;
        this.head = head;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
    }

    /** Outputs for {@code count} samples packed in {@code features}, each of {@code sampleShape}. */
    public float[][] run(float[] features, long[] sampleShape, int count, int batchSize) {
        int sampleSize = count == 0 ? 0 : features.length / count;
        float[][] out = new float[count][];
        for (int from = 0; from < count; from += batchSize) {
            int n = Math.min(batchSize, count - from);
            long[] shape = new long[sampleShape.length + 1];
            shape[0] = n;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            try (NDManager scratch = manager.newSubManager()) {
                float[] slice = java.util.Arrays.copyOfRange(features, from * sampleSize, (from + n) * sampleSize);
                NDArray x = scratch.create(slice, new Shape(shape));
                NDArray y = applyHead(block.forward(store, new NDList(x), false).singletonOrThrow());
                long width = y.getShape().size() / n;
                float[] flat = y.toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(flat, (int) (i * width), (int) ((i + 1) * width));
                }
            }
        }
        return out;
    }

    private NDArray applyHead(NDArray logits) {
        return switch (head) {
            case SOFTMAX -> logits.softmax(-1);
            case SIGMOID -> logits.getNDArrayInternal().sigmoid();
            case NONE -> logits;
        };
    }
}
