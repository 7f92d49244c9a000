package io.moxing.model;

/**
 * Samples packed end to end in one array, run in batches and answered one output row per sample: the loop that
 * every runner of a loaded model shares (the DJL engine's {@code predict.Inference}, ONNX Runtime's
 * {@link OnnxRunner}); each says only how one batch runs.
 */
public final class PackedBatches {
    private PackedBatches() {}

    /** One batch: {@code size} values from {@code offset} of the packed array, of {@code shape} (batch first). */
    @FunctionalInterface
    public interface Batch {
        /** The batch's outputs, flat, one row per sample. */
        float[] run(int offset, int size, long[] shape);
    }

    /** Outputs for {@code count} samples packed in {@code features}, each of {@code sampleShape}, in batches. */
    public static float[][] run(float[] features, long[] sampleShape, int count, int batchSize, Batch batch) {
        int sampleSize = count == 0 ? 0 : features.length / count;
        float[][] out = new float[count][];
        for (int from = 0; from < count; from += batchSize) {
            int n = Math.min(batchSize, count - from);
            long[] shape = new long[sampleShape.length + 1];
            shape[0] = n;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            float[] flat = batch.run(from * sampleSize, n * sampleSize, shape);
            int width = flat.length / n;
            for (int i = 0; i < n; i++) out[from + i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }
}
