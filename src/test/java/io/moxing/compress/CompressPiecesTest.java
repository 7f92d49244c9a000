package io.moxing.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moxing.core.DeepLearning;
import org.junit.jupiter.api.Test;

/** The arithmetic under the methods: slicing, the rows kept, the distillation loss and reading the bf16 probe. */
class CompressPiecesTest {

    @Test
    void takesEntriesAlongAnAxisInTheOrderGiven() {
        float[] m = {0, 1, 2, 3, 4, 5}; // 2 x 3
        assertArrayEquals(new float[] {0, 2, 3, 5}, ArraySlices.take(m, new long[] {2, 3}, 1, new int[] {0, 2}));
        assertArrayEquals(new float[] {3, 4, 5}, ArraySlices.take(m, new long[] {2, 3}, 0, new int[] {1}));
        assertArrayEquals(new int[] {2, 3, 6, 7}, ArraySlices.flattened(new int[] {1, 3}, 2));
    }

    @Test
    void keepsTheRowsWithTheLargestL1NormInTheirOriginalOrder() {
        float[] rows = {1, -1, 0, 0.1f, -5, 0, 2, 2}; // norms 2, 0.1, 5, 4
        assertArrayEquals(new int[] {2, 3}, ArraySlices.largestRows(rows, new long[] {4, 2}, 2));
        assertArrayEquals(new int[] {0, 2, 3}, ArraySlices.largestRows(rows, new long[] {4, 2}, 3));
    }

    @Test
    void distillationLossIsTheHardLossAloneWhenTeacherAndStudentAgree() {
        try (NDManager m = DeepLearning.engine().newBaseManager()) {
            NDArray logits = m.create(new float[] {2, 0, -1, 0.5f, 0.5f, 3}, new ai.djl.ndarray.types.Shape(2, 3));
            NDArray teacher = m.create(new float[] {0, 3, -1, 4, 0.5f, 0}, new ai.djl.ndarray.types.Shape(2, 3));
            NDArray labels = m.create(new long[] {0, 2});
            double hard = new DistillationLoss(4, 0).evaluate(logits, logits, labels).getFloat();
            assertEquals(0.3 * hard, new DistillationLoss(4, 0.7).evaluate(logits, logits, labels).getFloat(), 1e-5);
            // KL(p || q) by hand for the disagreeing teacher, T = 2, alpha = 1: T^2 * mean over the batch
            double expected = 0;
            float[] s = logits.toFloatArray();
            float[] t = teacher.toFloatArray();
            for (int i = 0; i < 2; i++) {
                double[] p = softmax(t, i * 3, 2);
                double[] q = softmax(s, i * 3, 2);
                for (int c = 0; c < 3; c++) expected += p[c] * Math.log(p[c] / q[c]) / 2;
            }
            assertEquals(4 * expected, new DistillationLoss(2, 1).evaluate(logits, teacher, labels).getFloat(), 1e-5);
        }
    }

    @Test
    void bf16ProbeThatDiedIsReportedWithItsStage() {
        Bf16Trial.Outcome died = Bf16Trial.read("stage fp32 forward\nstage cast parameters to bfloat16\n"
                + "terminate called without an active exception\n", 134);
        assertFalse(died.ran());
        assertTrue(died.reason().contains("cast parameters to bfloat16"), died.reason());
        assertTrue(died.reason().contains("terminate called"), died.reason());
        Bf16Trial.Outcome slower = Bf16Trial.read("stage bf16 forward\nresult fp32_ms=1.0 bf16_ms=2.5 max_abs_diff=0.01\n", 0);
        assertTrue(slower.ran());
        assertFalse(slower.faster());
        assertTrue(slower.reason().contains("slower"), slower.reason());
    }

    private static double[] softmax(float[] x, int from, double temperature) {
        double[] e = new double[3];
        double sum = 0;
        for (int c = 0; c < 3; c++) sum += e[c] = Math.exp(x[from + c] / temperature);
        for (int c = 0; c < 3; c++) e[c] /= sum;
        return e;
    }
}
