package io.moxing.retrain;

import io.moxing.core.UserException;
import io.moxing.eval.EvalResult;
import java.util.Arrays;
import java.util.Locale;

/** The metric a retraining gate compares, in [0, 1]; gains are stated in percentage points of it. */
public enum GateMetric {
    ACCURACY("accuracy"),
    MACRO_F1("macro-f1");

    private final String wireName;

    GateMetric(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public double of(EvalResult r) {
        Double v = this == ACCURACY ? r.accuracy() : r.macroF1();
        if (v == null) throw new IllegalStateException(wireName + " is not defined for a " + r.task() + " evaluation");
        return v;
    }

    public static GateMetric parse(String text) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(text.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new UserException("invalid_option", "--metric '" + text + "' is not a gate metric; use "
                        + Arrays.stream(values()).map(GateMetric::wireName).toList()));
    }
}
