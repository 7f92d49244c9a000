package io.moxing.chart;

import java.util.Arrays;
import java.util.List;

/** One axis of a plot: its ends, where its ticks go, how they are labelled, and where a value falls between the ends. */
interface Axis {
    /** More than two decades between the smallest and the largest value is where a linear axis squashes the small ones flat. */
    double AUTO_LOG_RATIO = 100;

    double lo();

    double hi();

    List<Double> ticks();

    String label(double tick);

    /** Where {@code v} falls from {@code lo} (0) to {@code hi} (1); NaN where the axis cannot show it (zero on a log axis). */
    double fraction(double v);

    /**
     * The axis for some values: its scale (AUTO chooses), at most {@code maxTicks} ticks, and steps of whole numbers
     * where the values are (epochs, batch sizes). NaN and infinite values are ignored.
     */
    static Axis of(Scale scale, double[] values, int maxTicks, boolean integral) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        double min = Arrays.stream(finite).min().orElse(0);
        double max = Arrays.stream(finite).max().orElse(1);
        double minPositive = Arrays.stream(finite).filter(v -> v > 0).min().orElse(Double.NaN);
        boolean log = switch (scale) {
            case LINEAR -> false;
            // a log axis asked for with nothing positive to show falls back to linear rather than drawing nothing
            case LOG -> !Double.isNaN(minPositive);
            case AUTO -> min > 0 && max / min > AUTO_LOG_RATIO;
        };
        return log ? LogScale.of(minPositive, max, maxTicks) : NiceScale.of(min, max, maxTicks, integral);
    }
}
