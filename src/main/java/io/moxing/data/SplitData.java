package io.moxing.data;

/**
 * One split loaded for training or evaluation: normalised features packed end to end and one
 * label per sample.
 */
public record SplitData(String name, float[] features, float[] labels, long[] sampleShape) {
    public int count() {
        return labels.length;
    }

    public int sampleSize() {
        return features.length / Math.max(1, labels.length);
    }

    /** The first {@code n} samples (all of them when n is larger). */
    public SplitData head(int n) {
        if (n >= count()) {
            return this;
        }
        return new SplitData(name, java.util.Arrays.copyOf(features, n * sampleSize()),
                java.util.Arrays.copyOf(labels, n), sampleShape);
    }
}
