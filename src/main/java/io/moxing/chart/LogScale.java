package io.moxing.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * A logarithmic axis for values that span decades (requests a month from 1,000 to 100 million): its ends are
 * powers of ten, its ticks the powers between (1, 10, 100, 1k …), with 2 and 5 inside each decade when there is
 * room and only every second or third power when there is not.
 *
 * @param lo    the lower end, the power of ten at or below the smallest positive value
 * @param hi    the upper end, the power of ten at or above the largest value
 * @param ticks the tick values, ascending
 */
record LogScale(double lo, double hi, List<Double> ticks) implements Axis {
    /** Ticks per decade when 2 and 5 are marked as well as the power of ten. */
    private static final int TICKS_PER_DECADE = 3;

    LogScale {
        if (!(lo > 0) || !(hi > lo)) throw new IllegalArgumentException("a log scale needs 0 < lo < hi, e.g. 1, 1000; got " + lo + ", " + hi);
        ticks = List.copyOf(ticks);
    }

    /** The scale covering {@code minPositive} to {@code max} in at most {@code maxTicks} ticks (at least 2). */
    static LogScale of(double minPositive, double max, int maxTicks) {
        int budget = Math.max(2, maxTicks);
        int first = (int) Math.floor(Math.log10(minPositive) + 1e-9);
        int last = (int) Math.ceil(Math.log10(Math.max(max, minPositive)) - 1e-9);
        if (last == first) {
            // all values on one power of ten: centre them in two decades rather than draw them on the frame
            first--;
            last++;
        }
        int every = (int) Math.ceil((last - first + 1) / (double) budget);
        // extend the top so that the axis ends on a labelled decade
        last = first + (int) Math.ceil((last - first) / (double) every) * every;
        boolean between = every == 1 && (last - first) * TICKS_PER_DECADE + 1 <= budget;
        List<Double> ticks = new ArrayList<>();
        for (int e = first; e <= last; e += every) {
            ticks.add(power(e));
            if (between && e < last) {
                ticks.add(2 * power(e));
                ticks.add(5 * power(e));
            }
        }
        return new LogScale(power(first), power(last), ticks);
    }

    @Override
    public String label(double tick) {
        return TickFormat.compact(tick);
    }

    @Override
    public double fraction(double v) {
        return v > 0 ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : Double.NaN;
    }

    private static double power(int exp) {
        // 1 / 10^3 is the double nearest 0.001; 10^-3 from Math.pow need not be
        return exp >= 0 ? Math.pow(10, exp) : 1 / Math.pow(10, -exp);
    }
}
