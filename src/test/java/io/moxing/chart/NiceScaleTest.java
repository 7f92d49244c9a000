package io.moxing.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NiceScaleTest {
    /** What a 420-pixel-high chart allows up its y axis. */
    private static final int Y_BUDGET = PlotArea.yTickBudget(420);

    @Test
    void accuracyFromPoint6ToJustOverOneTicksInTenths() {
        NiceScale s = NiceScale.of(0.6, 1.02, Y_BUDGET, false);
        assertTicks(List.of(0.6, 0.7, 0.8, 0.9, 1.0, 1.1), s);
        assertEquals(List.of("0.6", "0.7", "0.8", "0.9", "1.0", "1.1"), labels(s));
    }

    @Test
    void aTighterBudgetTakesTheNextNiceStep() {
        NiceScale s = NiceScale.of(0.6, 1.02, 4, false);
        assertTicks(List.of(0.6, 0.8, 1.0, 1.2), s);
        assertEquals(List.of("0.6", "0.8", "1.0", "1.2"), labels(s));
    }

    @Test
    void theEconomicsRangeTicksInFifthsAndItsEndsAreTicks() {
        NiceScale s = NiceScale.of(1.455, 2.55, Y_BUDGET, false);
        assertTicks(List.of(1.4, 1.6, 1.8, 2.0, 2.2, 2.4, 2.6), s);
        assertEquals(1.4, s.lo(), 1e-12);
        assertEquals(2.6, s.hi(), 1e-12);
        assertEquals(List.of("1.4", "1.6", "1.8", "2.0", "2.2", "2.4", "2.6"), labels(s));
    }

    @Test
    void tensOfThousandsTickInTenThousandsLabelledK() {
        NiceScale s = NiceScale.of(0, 41_620, Y_BUDGET, false);
        assertTicks(List.of(0.0, 10_000.0, 20_000.0, 30_000.0, 40_000.0, 50_000.0), s);
        assertEquals(List.of("0", "10k", "20k", "30k", "40k", "50k"), labels(s));
    }

    @Test
    void costsOfAFractionOfACentShareOneExponent() {
        NiceScale s = NiceScale.of(0, 0.000255, Y_BUDGET, false);
        assertEquals(List.of("0", "0.5e-4", "1.0e-4", "1.5e-4", "2.0e-4", "2.5e-4", "3.0e-4"), labels(s));
    }

    @Test
    void twoAndAHalfIsANiceStepWhenTwoWouldOverrunTheBudget() {
        NiceScale s = NiceScale.of(0, 9, 5, false);
        assertEquals(2.5, s.step(), 1e-12);
        assertEquals(List.of("0", "2.5", "5.0", "7.5", "10.0"), labels(s));
    }

    @Test
    void wholeNumberValuesGetWholeNumberSteps() {
        assertTicks(List.of(1.0, 2.0, 3.0), NiceScale.of(1, 3, 12, true));
        // 2.5 would put a tick between epochs
        assertTicks(List.of(0.0, 5.0, 10.0), NiceScale.of(0, 9, 5, true));
    }

    @Test
    void everyValueLiesWithinTheEndsAndTheEndsAreStepMultiples() {
        double[][] ranges = {{0.000123, 0.000456}, {-3.2, 7.9}, {97, 103}, {0, 1}, {12_345, 987_654}, {-0.02, -0.01}};
        for (double[] r : ranges) {
            NiceScale s = NiceScale.of(r[0], r[1], Y_BUDGET, false);
            assertTrue(s.lo() <= r[0] && r[1] <= s.hi(), r[0] + ".." + r[1] + " -> " + s);
            assertTrue(s.ticks().size() <= Y_BUDGET && s.ticks().size() >= 2, s.toString());
            assertEquals(0, Math.abs(s.lo() / s.step() - Math.rint(s.lo() / s.step())), 1e-6, s.toString());
        }
    }

    @Test
    void aSingleValueGetsRoomEitherSide() {
        NiceScale s = NiceScale.of(5, 5, Y_BUDGET, false);
        assertTrue(s.lo() < 5 && 5 < s.hi(), s.toString());
        NiceScale zero = NiceScale.of(0, 0, Y_BUDGET, false);
        assertTrue(zero.lo() < 0 && 0 < zero.hi(), zero.toString());
    }

    @Test
    void zeroBetweenNegativeAndPositiveTicksReadsZero() {
        assertEquals(List.of("-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"), labels(NiceScale.of(-0.3, 0.3, Y_BUDGET, false)));
    }

    static void assertTicks(List<Double> expected, Axis axis) {
        List<Double> ticks = axis.ticks();
        assertEquals(expected.size(), ticks.size(), "ticks " + ticks);
        for (int i = 0; i < ticks.size(); i++) assertEquals(expected.get(i), ticks.get(i), Math.abs(expected.get(i)) * 1e-9 + 1e-12, "ticks " + ticks);
    }

    static List<String> labels(Axis axis) {
        return axis.ticks().stream().map(axis::label).toList();
    }
}
