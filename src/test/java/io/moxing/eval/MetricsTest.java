package io.moxing.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static float[] onehot(int k, int n) {
        float[] p = new float[n];
        p[k] = 1;
        return p;
    }

    @Test
    void classificationMetricsMatchHandComputedValues() {
        // truth:     0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        int[] truth = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 0, 1, 1, 2, 2};
        float[][] probabilities = new float[6][];
        for (int i = 0; i < 6; i++) probabilities[i] = onehot(predicted[i], 3);
        EvalResult r = Metrics.classification("test", truth, probabilities, List.of("a", "b", "c"));
        assertEquals(4 / 6.0, r.accuracy(), 1e-12);
        assertArrayEquals(new long[] {2, 1, 0}, r.confusionMatrix()[0]);
        assertArrayEquals(new long[] {0, 1, 1}, r.confusionMatrix()[1]);
        assertArrayEquals(new long[] {0, 0, 1}, r.confusionMatrix()[2]);
        // class a: P 2/2, R 2/3; class b: P 1/2, R 1/2; class c: P 1/2, R 1/1
        assertEquals(1.0, r.perClass().get(0).precision(), 1e-12);
        assertEquals(2 / 3.0, r.perClass().get(0).recall(), 1e-12);
        assertEquals(0.8, r.perClass().get(0).f1(), 1e-12);
        assertEquals(2 / 3.0, r.perClass().get(2).f1(), 1e-12);
        assertEquals((1 + 0.5 + 0.5) / 3, r.macroPrecision(), 1e-12);
        assertEquals((2 / 3.0 + 0.5 + 1) / 3, r.macroRecall(), 1e-12);
        assertEquals((0.8 + 0.5 + 2 / 3.0) / 3, r.macroF1(), 1e-12);
        assertEquals(null, r.rocAuc());
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        // positives score 0.9, 0.4; negatives 0.4, 0.1: pairs (0.9>0.4), (0.9>0.1), (0.4=0.4 half), (0.4>0.1) = 3.5/4
        assertEquals(0.875, Metrics.rocAuc(new int[] {1, 1, 0, 0}, new double[] {0.9, 0.4, 0.4, 0.1}), 1e-12);
        assertEquals(1.0, Metrics.rocAuc(new int[] {0, 1}, new double[] {0.2, 0.8}), 1e-12);
        assertEquals(null, Metrics.rocAuc(new int[] {1, 1}, new double[] {0.2, 0.8}));
    }

    @Test
    void binaryClassificationReportsAuc() {
        float[][] p = {{0.9f, 0.1f}, {0.3f, 0.7f}, {0.6f, 0.4f}, {0.2f, 0.8f}};
        EvalResult r = Metrics.classification("test", new int[] {0, 1, 1, 1}, p, List.of("no", "yes"));
        assertEquals(0.75, r.accuracy(), 1e-12);
        assertEquals(1.0, r.rocAuc(), 1e-12);
    }

    @Test
    void regressionMetrics() {
        EvalResult r = Metrics.regression("test", new float[] {1, 2, 3, 4}, new float[] {1, 3, 3, 2});
        assertEquals((0 + 1 + 0 + 4) / 4.0, r.mse(), 1e-12);
        assertEquals((0 + 1 + 0 + 2) / 4.0, r.mae(), 1e-12);
        assertEquals(1 - 5 / 5.0, r.r2(), 1e-12);
    }
}
