package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moxing.data.Augmenter;
import io.moxing.data.SplitData;

/**
 * A split held as two tensors, features and labels, from which batches are gathered by index.
 * Holding the whole split as one tensor makes a batch one gather instead of one small array per sample.
 */
public final class TensorData implements AutoCloseable {
    private final NDArray features;
    private final NDArray labels;
    private final int count;
    private final SplitData source;
    private final Augmenter augmenter;

    private TensorData(NDArray features, NDArray labels, int count, SplitData source, Augmenter augmenter) {
        this.features = features;
        this.labels = labels;
        this.count = count;
        this.source = source;
        this.augmenter = augmenter;
    }

    /**
     * Training data whose batches are augmented: each batch is copied from the split, transformed
     * image by image and only then made a tensor.
     */
    public static TensorData augmented(NDManager manager, SplitData split, Targets targets, Augmenter augmenter) {
        if (split.sampleShape().length != 3) {
            throw new io.moxing.core.UserException("invalid_spec", "training.augmentation needs images"
                    + " [channels, height, width]; this data has samples of shape " + java.util.Arrays.toString(split.sampleShape()));
        }
        TensorData plain = of(manager, split, targets);
        return new TensorData(plain.features, plain.labels, plain.count, split, augmenter);
    }

    /** Reseeds the augmentation for an epoch (a no-op without augmentation). */
    public void reseed(long seed) {
        if (augmenter != null) augmenter.reseed(seed);
    }

    /** Features as they are; labels shaped as {@code targets} requires. */
    public static TensorData of(NDManager manager, SplitData split, Targets targets) {
        long[] shape = new long[split.sampleShape().length + 1];
        shape[0] = split.count();
        System.arraycopy(split.sampleShape(), 0, shape, 1, split.sampleShape().length);
        NDArray x = manager.create(split.features(), new Shape(shape));
        return new TensorData(x, targets.labels(manager, split.labels()), split.count(), null, null);
    }

    /**
     * A token stream cut into non-overlapping windows of {@code context} tokens; each window's labels
     * are the same tokens shifted by one, so every position learns to predict the next token.
     */
    public static TensorData windows(NDManager manager, int[] tokens, int context) {
        int count = Math.max(0, (tokens.length - 1) / context);
        long[] x = new long[count * context];
        long[] y = new long[count * context];
        for (int w = 0; w < count; w++) {
            for (int i = 0; i < context; i++) {
                x[w * context + i] = tokens[w * context + i];
                y[w * context + i] = tokens[w * context + i + 1];
            }
        }
        Shape shape = new Shape(count, context);
        return new TensorData(manager.create(x, shape), manager.create(y, shape), count, null, null);
    }

    /** For targets with several values per sample (the toy MLP's y rows). */
    public static TensorData of(NDManager manager, float[][] x, float[][] y) {
        return new TensorData(manager.create(x), manager.create(y), x.length, null, null);
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
        NDArray xb = augmenter == null ? features.get(index) : augmentedBatch(scratch, indices);
        NDArray yb = labels.get(index);
        xb.attach(scratch);
        yb.attach(scratch);
        return new NDArray[] {xb, yb};
    }

    private NDArray augmentedBatch(NDManager scratch, long[] indices) {
        long[] shape = source.sampleShape();
        int size = source.sampleSize();
        float[] batch = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(source.features(), (int) indices[i] * size, batch, i * size, size);
            augmenter.apply(batch, i * size, (int) shape[0], (int) shape[1], (int) shape[2]);
        }
        return scratch.create(batch, new Shape(indices.length, shape[0], shape[1], shape[2]));
    }

    @Override
    public void close() {
        features.close();
        labels.close();
    }
}
