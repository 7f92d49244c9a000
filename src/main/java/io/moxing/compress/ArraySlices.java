package io.moxing.compress;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Row-major float arrays cut along one axis, and the rows worth keeping: the arithmetic of structured pruning. */
final class ArraySlices {
    private ArraySlices() {}

    /** The entries of {@code data} (of {@code shape}) whose index along {@code axis} is in {@code keep}, in that order. */
    static float[] take(float[] data, long[] shape, int axis, int[] keep) {
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= (int) shape[i];
        int n = (int) shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= (int) shape[i];
        float[] out = new float[outer * keep.length * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < keep.length; k++) {
                System.arraycopy(data, (o * n + keep[k]) * inner, out, (o * keep.length + k) * inner, inner);
            }
        }
        return out;
    }

    /** {@code shape} with {@code axis} shortened to {@code size}. */
    static long[] resized(long[] shape, int axis, int size) {
        long[] out = shape.clone();
        out[axis] = size;
        return out;
    }

    /**
     * The {@code count} rows (first axis) with the largest L1 norms, in their original order, so that the layer
     * after them sees its surviving inputs in the order it was trained on.
     */
    static int[] largestRows(float[] data, long[] shape, int count) {
        int rows = (int) shape[0];
        int inner = data.length / rows;
        double[] norms = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = r * inner; i < (r + 1) * inner; i++) norms[r] += Math.abs(data[i]);
        }
        int[] kept = IntStream.range(0, rows).boxed()
                .sorted(Comparator.comparingDouble((Integer r) -> -norms[r]).thenComparingInt(r -> r))
                .limit(count).mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }

    /** Channel indices expanded to the flattened features of [channels, spatial]: channel c is c*spatial .. c*spatial+spatial-1. */
    static int[] flattened(int[] channels, int spatial) {
        int[] out = new int[channels.length * spatial];
        for (int k = 0; k < channels.length; k++) {
            for (int j = 0; j < spatial; j++) out[k * spatial + j] = channels[k] * spatial + j;
        }
        return out;
    }
}
