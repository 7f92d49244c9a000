package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.moxing.core.UserException;
import io.moxing.train.EpochMetrics;
import java.util.Arrays;
import java.util.Locale;

/** What a search selects on, always measured on the validation split. */
public enum SearchMetric {
    ACCURACY("val_accuracy", true),
    LOSS("val_loss", false);

    private final String field;
    private final boolean higherIsBetter;

    SearchMetric(String field, boolean higherIsBetter) {
        this.field = field;
        this.higherIsBetter = higherIsBetter;
    }

    /** The metric's name in run metrics and in provenance (val_accuracy, val_loss). */
    public String field() {
        return field;
    }

    /** The value after an epoch; null when the epoch has none (no validation split). */
    public Double of(EpochMetrics epoch) {
        return this == ACCURACY ? epoch.valAccuracy() : epoch.valLoss();
    }

    /** Orders metrics best first; a missing (failed) value is last. */
    public int compareBestFirst(Double a, Double b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
        return higherIsBetter ? Double.compare(b, a) : Double.compare(a, b);
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SearchMetric parse(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new UserException("invalid_option", "--metric " + name + " must be accuracy or loss"));
    }
}
