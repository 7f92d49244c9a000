package io.moxing.chart;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Tick and value labels that carry only the digits a reader needs: "0.6" rather than "0.600", "40k" rather than
 * "4.00e+04", "1,500" with its thousands grouped.
 */
final class TickFormat {
    /** Below this, zeros after the point are hard to count and labels switch to an exponent. */
    private static final double SMALL = 1e-3;

    private TickFormat() {}

    /**
     * A tick on a linear axis whose ticks are {@code step} apart and reach {@code magnitude} at most (in absolute
     * value): as many decimals as the step has (0.25 needs two, 0.5 one, 10 none), thousands grouped, large steps as
     * k or M, and an axis of tiny values with the exponent of its largest (0.5e-4, 1.0e-4 … 3.0e-4).
     */
    static String linear(double v, double step, double magnitude) {
        // summing steps leaves 1e-17 where zero was meant, and "-0" reads as a bug
        if (Math.abs(v) < step * 1e-6) return "0";
        // a step of half a million reads better as 0.5M, 1.0M than as 500k, 1,000k
        if (step >= 500_000) return fixed(v / 1e6, step / 1e6) + "M";
        if (step >= 1_000) return fixed(v / 1e3, step / 1e3) + "k";
        if (magnitude < SMALL) {
            // 0.00025 is hard to count; 2.5e-4 is not, and one exponent for the whole axis keeps ticks comparable
            int exp = (int) Math.floor(Math.log10(magnitude) + 1e-9);
            double unit = Math.pow(10, exp);
            return fixed(v / unit, step / unit) + "e" + exp;
        }
        return fixed(v, step);
    }

    /** A single value in three significant digits with a k/M suffix: log-axis ticks (1, 20, 5k, 1M) and bar values. */
    static String compact(double v) {
        if (v == 0 || !Double.isFinite(v)) return v == 0 ? "0" : Double.toString(v);
        // round first, so that 999,999 becomes 1M rather than 1000k
        double r = significant(v).doubleValue();
        double a = Math.abs(r);
        if (a >= 1e9 || a < SMALL) {
            int exp = (int) Math.floor(Math.log10(a));
            return significant(r / Math.pow(10, exp)).toPlainString() + "e" + exp;
        }
        if (a >= 1e6) return significant(r / 1e6).toPlainString() + "M";
        if (a >= 1e3) return significant(r / 1e3).toPlainString() + "k";
        return significant(r).toPlainString();
    }

    /** How many decimals a step needs for every multiple of it to print exactly: 0.25 → 2, 0.5 → 1, 20 → 0. */
    static int decimals(double step) {
        for (int d = 0; d < 12; d++) {
            double scaled = step * Math.pow(10, d);
            if (Math.abs(scaled - Math.rint(scaled)) < 1e-6 * scaled) return d;
        }
        return 12;
    }

    private static String fixed(double v, double step) {
        return String.format(Locale.ROOT, "%,." + decimals(step) + "f", v);
    }

    private static BigDecimal significant(double v) {
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
    }
}
