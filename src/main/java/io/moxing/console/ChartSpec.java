package io.moxing.console;

import io.moxing.core.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chart as the console's script hands it to Chart.js, written as JSON into a canvas's {@code data-chart-spec}
 * attribute (escaped there by jte; no inline script is allowed) or answered by a page's live route. The conventions
 * of billing's PNG charts hold: a logarithmic axis where values span decades ({@link #scaleOf}), bars or points for
 * measured values, and a gap (null) where nothing was measured, which a line never bridges.
 *
 * @param type   line or bar; a series may override it
 * @param labels the category of each point; null when points carry their own x (a linear or logarithmic x axis)
 */
record ChartSpec(String type, List<String> labels, List<Series> datasets, Axis x, Axis y) {
    static final String LINEAR = "linear";
    static final String LOG = "logarithmic";
    static final String CATEGORY = "category";

    /**
     * One series. {@code data} holds numbers (or null for a gap) against the labels, or {@code {x, y}} points.
     *
     * @param kind   bar, line, or scatter (points only); null: the chart's type
     * @param points whether each value is marked (measured values are)
     */
    record Series(String label, List<?> data, String kind, boolean points) {}

    /** @param scale category, linear or logarithmic; {@code min}/{@code max} null: from the data */
    record Axis(String title, String scale, Double min, Double max) {
        static Axis of(String title, String scale) {
            return new Axis(title, scale, null, null);
        }
    }

    /** An x/y point of a series on a numeric x axis. */
    record Point(double x, Double y) {}

    String json() {
        return Json.line(this);
    }

    /** Values as a series' data: NaN and infinities (nothing measured) become gaps. */
    static List<Double> values(double... values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) out.add(Double.isFinite(v) ? v : null);
        return out;
    }

    /**
     * Logarithmic when the positive values span two decades or more (a linear axis would flatten all but the largest),
     * linear otherwise or when a value is zero or negative (a log axis cannot show it).
     */
    static String scaleOf(List<? extends Number> values) {
        double[] v = values.stream().filter(java.util.Objects::nonNull).mapToDouble(Number::doubleValue).toArray();
        if (v.length < 2 || Arrays.stream(v).anyMatch(d -> d <= 0)) return LINEAR;
        double min = Arrays.stream(v).min().orElse(1), max = Arrays.stream(v).max().orElse(1);
        return max / min >= 100 ? LOG : LINEAR;
    }
}
