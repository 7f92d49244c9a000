package io.moxing.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.eval.EvalResult;
import io.moxing.eval.Metrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's rule on evaluations made from known predictions. */
class GateVerdictTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");
    private static final RetrainingPolicy POLICY = new RetrainingPolicy("d", 10, GateMetric.ACCURACY, 0.5, 2.0, null, 2);

    /** 100 samples per class; {@code right[k]} of class k predicted right, the rest predicted as the next class. */
    private static EvalResult evaluation(int... right) {
        int n = 100 * CLASSES.size();
        float[] labels = new float[n];
        float[][] outputs = new float[n][CLASSES.size()];
        for (int k = 0; k < CLASSES.size(); k++) {
            for (int i = 0; i < 100; i++) {
                int row = k * 100 + i;
                labels[row] = k;
                outputs[row][i < right[k] ? k : (k + 1) % CLASSES.size()] = 1f;
            }
        }
        return Metrics.of("validation", labels, outputs, CLASSES);
    }

    @Test
    void aCandidateBetterEverywherePasses() {
        GateVerdict v = GateVerdict.judge(POLICY, evaluation(90, 80, 50), evaluation(90, 80, 70));
        assertTrue(v.passed(), v.reason());
        assertEquals(6.67, v.gainPoints(), 0.01);
    }

    @Test
    void aGainBelowTheMinimumIsKept() {
        GateVerdict v = GateVerdict.judge(POLICY, evaluation(90, 80, 50), evaluation(90, 80, 51));
        assertFalse(v.passed(), v.reason());
        assertTrue(v.reason().contains("at least +0.50"), v.reason());
    }

    @Test
    void aGainBoughtWithOneClassIsRefused() {
        // class c repaired, class a broken: accuracy up, but a's F1 falls far more than 2 points
        GateVerdict v = GateVerdict.judge(POLICY, evaluation(90, 80, 40), evaluation(70, 80, 80));
        assertTrue(v.gainPoints() > 0.5, "the metric alone would pass: " + v.gainPoints());
        assertFalse(v.passed(), v.reason());
        // a's lost recall lands in b, whose precision falls with it: either is the class served worse
        assertTrue(List.of("a", "b").contains(v.worstClass()), v.worstClass());
        assertTrue(v.worstDropPoints() > 2.0, v.reason());
        assertTrue(v.reason().contains("lost"), v.reason());
    }
}
