package io.moxing.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear axis with "nice numbers" ticks (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990): the
 * step is 1, 2, 2.5 or 5 × 10^k and the ends are multiples of it, so a curve from 0.62 to 1.02 reads against
 * 0.6, 0.7 … 1.1 rather than 0.622, 0.821, 1.019. Of the nice steps, the finest that fits the tick budget wins.
 *
 * @param lo   the lower end, a multiple of {@code step} at or below the smallest value
 * @param hi   the upper end, a multiple of {@code step} at or above the largest value
 * @param step the distance between ticks
 */
record NiceScale(double lo, double hi, double step) implements Axis {
    private static final double[] MANTISSAS = {1, 2, 2.5, 5};
    /** Slack for values a rounding error away from a tick (0.6 / 0.1 = 5.999999999999999), so they are not pushed a step out. */
    private static final double SLACK = 1e-9;

    NiceScale {
        if (!(step > 0) || !(hi > lo)) throw new IllegalArgumentException("a scale needs lo < hi and step > 0, e.g. 0, 1, 0.2; got " + lo + ", " + hi + ", " + step);
    }

    /** The scale covering {@code min} to {@code max} in at most {@code maxTicks} ticks (at least 2), whole steps where {@code integral}. */
    static NiceScale of(double min, double max, int maxTicks, boolean integral) {
        int budget = Math.max(2, maxTicks);
        if (max - min <= Math.abs(max) * 1e-12) {
            // one value: give it room either side rather than dividing by a zero span
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        for (int exp = (int) Math.floor(Math.log10((max - min) / budget)) - 1; ; exp++) {
            for (double mantissa : MANTISSAS) {
                // dividing by 10^-exp keeps 0.1, 0.01 as exact as doubles allow; multiplying by 1e-1 does not
                double step = exp >= 0 ? mantissa * Math.pow(10, exp) : mantissa / Math.pow(10, -exp);
                if (integral && (step < 1 || step == 2.5)) continue;
                long first = (long) Math.floor(min / step + SLACK);
                long last = (long) Math.ceil(max / step - SLACK);
                if (last == first) last++;
                if (last - first + 1 <= budget) return new NiceScale(first * step, last * step, step);
            }
        }
    }

    @Override
    public List<Double> ticks() {
        long first = Math.round(lo / step);
        long last = Math.round(hi / step);
        List<Double> ticks = new ArrayList<>();
        for (long i = first; i <= last; i++) ticks.add(i * step);
        return ticks;
    }

    @Override
    public String label(double tick) {
        return TickFormat.linear(tick, step, Math.max(Math.abs(lo), Math.abs(hi)));
    }

    @Override
    public double fraction(double v) {
        return (v - lo) / (hi - lo);
    }
}
