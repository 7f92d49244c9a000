package io.moxing.data;

/**
 * How raw features become model inputs: {@code (x * scale - mean[c]) / std[c]}, where c is the
 * channel (images) or the feature (tables). Computed on the training split only.
 */
public record Normalization(float scale, float[] mean, float[] std) {
    public static Normalization scaleOnly(float scale) {
        return new Normalization(scale, new float[] {0f}, new float[] {1f});
    }

    /** Applies the normalisation in place; {@code channelStride} is the number of elements per channel. */
    public void apply(float[] values, int sampleSize, int channelStride) {
        int channels = mean.length;
        for (int i = 0; i < values.length; i++) {
            int c = channels == 1 ? 0 : (i % sampleSize) / channelStride;
            values[i] = (values[i] * scale - mean[c]) / std[c];
        }
    }

    /** Undoes {@link #apply} in place: model inputs back to raw units (0-255 pixels for images). */
    public void invert(float[] values, int sampleSize, int channelStride) {
        int channels = mean.length;
        for (int i = 0; i < values.length; i++) {
            int c = channels == 1 ? 0 : (i % sampleSize) / channelStride;
            values[i] = (values[i] * std[c] + mean[c]) / scale;
        }
    }
}
