package io.moxing.drift;

import java.util.Arrays;

/**
 * The population-stability index and the binning it is computed over: PSI = Σ (a − e)·ln(a / e) over bins,
 * a and e each bin's share of the actual and the expected rows. Conventionally below 0.1 the population is
 * stable, 0.1–0.25 it has moved moderately, above 0.25 it has shifted.
 */
public final class PopulationStability {
    /** The share an empty bin counts as, so that ln(a / e) stays finite (a bin empty on one side still counts). */
    static final double EPSILON = 1e-4;

    private PopulationStability() {}

    /**
     * The {@code bins − 1} edges that cut {@code values} into bins of about equal counts (quantiles), from a
     * sorted copy; tied values give repeated edges and some bins stay empty.
     */
    public static double[] quantileEdges(double[] values, int bins) {
        if (values.length == 0 || bins < 2) {
            throw new IllegalArgumentException(bins + " bins of " + values.length + " values: need at least one value"
                    + " and two bins");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins - 1];
        for (int k = 1; k < bins; k++) edges[k - 1] = sorted[(int) ((long) k * sorted.length / bins)];
        return edges;
    }

    /** The bin of {@code value}: how many edges are at or below it (a value on an edge goes to the upper bin). */
    public static int bin(double[] edges, double value) {
        int low = 0;
        int high = edges.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (edges[mid] <= value) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    /** Each bin's share of {@code values}. */
    public static double[] shares(double[] edges, double[] values) {
        double[] shares = new double[edges.length + 1];
        for (double v : values) shares[bin(edges, v)]++;
        for (int i = 0; i < shares.length; i++) shares[i] /= values.length;
        return shares;
    }

    /** The index of {@code actual} counts against {@code expected} shares; NaN while no row has been counted. */
    public static double index(double[] expected, long[] actual) {
        long total = Arrays.stream(actual).sum();
        if (total == 0) return Double.NaN;
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double a = Math.max(EPSILON, actual[i] / (double) total);
            double e = Math.max(EPSILON, expected[i]);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }
}
