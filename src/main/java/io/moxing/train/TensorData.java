package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moxing.data.SplitData;

/**
 * A split held as two tensors, features and labels, from which batches are gathered by index.
 * Holding the whole split as one tensor makes a batch one gather instead of one small array per sample.
 */
public final class TensorData implements AutoCloseable {
    private final NDArray features;
    private final NDArray labels;
    private final int count;

    private TensorData(NDArray features, NDArray labels, int count) {
        this.features = features;
        this.labels = labels;
        this.count = count;
    }

    /** Features as they are; labels shaped as {@code targets} requires. */
    public static TensorData of(NDManager manager, SplitData split, Targets targets) {
        long[] shape = new long[split.sampleShape().length + 1];
        shape[0] = split.count();
        System.arraycopy(split.sampleShape(), 0, shape, 1, split.sampleShape().length);
        NDArray x = manager.create(split.features(), new Shape(shape));
        return new TensorData(x, targets.labels(manager, split.labels()), split.count());
    }

    /** For targets with several values per sample (the toy MLP's y rows). */
    public static TensorData of(NDManager manager, float[][] x, float[][] y) {
        return new TensorData(manager.create(x), manager.create(y), x.length);
    }

    public int count() {
        return count;
    }

    public NDArray features() {
        return features;
    }

    public NDArray labels() {
        return labels;
    }

    /** The samples at {@code indices} (a batch), created in {@code scratch}. */
    public NDArray[] gather(NDManager scratch, long[] indices) {
        NDArray index = scratch.create(indices);
        NDArray xb = features.get(index);
        NDArray yb = labels.get(index);
        xb.attach(scratch);
        yb.attach(scratch);
        return new NDArray[] {xb, yb};
    }

    @Override
    public void close() {
        features.close();
        labels.close();
    }
}
