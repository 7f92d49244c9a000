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

    /** This split's samples followed by {@code other}'s, under {@code name}; the sample shapes must agree. */
    public SplitData followedBy(SplitData other, String name) {
        if (!java.util.Arrays.equals(sampleShape, other.sampleShape)) {
            throw new IllegalArgumentException(this.name + " has samples of shape " + java.util.Arrays.toString(sampleShape)
                    + ", " + other.name + " of " + java.util.Arrays.toString(other.sampleShape));
        }
        float[] f = java.util.Arrays.copyOf(features, features.length + other.features.length);
        System.arraycopy(other.features, 0, f, features.length, other.features.length);
        float[] l = java.util.Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, l, labels.length, other.labels.length);
        return new SplitData(name, f, l, sampleShape);
    }
}
