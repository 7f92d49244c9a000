package io.moxing.retrain;

import io.moxing.eval.ClassMetrics;
import io.moxing.eval.EvalResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gate's comparison of a candidate with production on the same frozen gate set: the metric of each,
 * the gain, each class's F1 change, and whether the candidate passes (gain at least the minimum and no
 * class's F1 down by more than the maximum). Per-class F1 rather than recall: repairing one class's recall
 * legitimately takes back recall its neighbours had gained from its mistakes, while F1 falls only when a
 * class is really served worse.
 */
public record GateVerdict(boolean passed, String reason, double production, double candidate, double gainPoints,
                          String worstClass, double worstDropPoints, Map<String, Double> classF1ChangePoints) {

    public static GateVerdict judge(RetrainingPolicy policy, EvalResult production, EvalResult candidate) {
        double p = policy.metric().of(production), c = policy.metric().of(candidate);
        double gain = (c - p) * 100;
        Map<String, Double> change = new LinkedHashMap<>();
        String worst = null;
        double worstDrop = 0;
        for (int k = 0; k < production.perClass().size(); k++) {
            ClassMetrics before = production.perClass().get(k), after = candidate.perClass().get(k);
            double delta = (after.f1() - before.f1()) * 100;
            change.put(before.label(), round(delta));
            if (-delta > worstDrop) {
                worstDrop = -delta;
                worst = before.label();
            }
        }
        String metric = policy.metric().wireName();
        String reason;
        boolean passed;
        if (gain < policy.minGain()) {
            passed = false;
            reason = String.format("%s on the gate set changed by %+.2f points (%.4f -> %.4f); at least %+.2f is required",
                    metric, gain, p, c, policy.minGain());
        } else if (worstDrop > policy.maxClassDrop()) {
            passed = false;
            reason = String.format("%s gained %+.2f points but class '%s' lost %.2f points of F1 (at most %.2f allowed)",
                    metric, gain, worst, worstDrop, policy.maxClassDrop());
        } else {
            passed = true;
            reason = String.format("%s on the gate set %+.2f points (%.4f -> %.4f); no class's F1 fell more than %.2f points",
                    metric, gain, p, c, policy.maxClassDrop());
        }
        return new GateVerdict(passed, reason, p, c, round(gain), worst, round(worstDrop), change);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
