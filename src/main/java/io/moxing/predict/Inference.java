package io.moxing.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.moxing.model.OutputHead;
import io.moxing.model.PackedBatches;

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
        return PackedBatches.run(features, sampleShape, count, batchSize, (offset, size, shape) -> {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray x = scratch.create(java.util.Arrays.copyOfRange(features, offset, offset + size), new Shape(shape));
                return applyHead(block.forward(store, new NDList(x), false).singletonOrThrow()).toFloatArray();
            }
        });
    }

    private NDArray applyHead(NDArray logits) {
        return switch (head) {
            case SOFTMAX -> logits.softmax(-1);
            case SIGMOID -> logits.getNDArrayInternal().sigmoid();
            case NONE -> logits;
        };
    }
}
