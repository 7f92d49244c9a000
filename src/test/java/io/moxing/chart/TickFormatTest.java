package io.moxing.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TickFormatTest {
    @Test
    void linearTicksCarryOnlyTheDecimalsTheirStepNeeds() {
        assertEquals("0.3", TickFormat.linear(0.30000000000000004, 0.1, 1));
        assertEquals("0.25", TickFormat.linear(0.25, 0.25, 1));
        assertEquals("1.0", TickFormat.linear(1, 0.5, 2));
        assertEquals("20", TickFormat.linear(20, 5, 40));
        assertEquals("0.0015", TickFormat.linear(0.0015, 0.0005, 0.002));
        // a tiny step on large values keeps its decimals rather than an exponent
        assertEquals("1.00005", TickFormat.linear(1.00005, 0.00005, 1.0002));
    }

    @Test
    void zeroIsNeverNegativeOrARoundingError() {
        assertEquals("0", TickFormat.linear(-1e-17, 0.1, 1));
        assertEquals("0", TickFormat.linear(-0.0, 1, 5));
    }

    @Test
    void thousandsAreGroupedOrSuffixed() {
        assertEquals("1,500", TickFormat.linear(1_500, 500, 2_000));
        assertEquals("40k", TickFormat.linear(40_000, 10_000, 50_000));
        assertEquals("2.5k", TickFormat.linear(2_500, 2_500, 10_000));
        assertEquals("1.5M", TickFormat.linear(1_500_000, 500_000, 3_000_000));
    }

    @Test
    void anAxisOfTinyValuesSharesItsLargestValuesExponent() {
        // compute cost per 1,000 predictions: 0 to 0.0003 in steps of 0.00005
        assertEquals("2.5e-4", TickFormat.linear(2.5e-4, 5e-5, 3e-4));
        assertEquals("0.5e-4", TickFormat.linear(5e-5, 5e-5, 3e-4));
        assertEquals("1.2e-5", TickFormat.linear(1.2e-5, 2e-6, 1.4e-5));
    }

    @Test
    void compactValuesHaveThreeSignificantDigitsAndASuffix() {
        assertEquals("1", TickFormat.compact(1));
        assertEquals("20", TickFormat.compact(20));
        assertEquals("5k", TickFormat.compact(5_000));
        assertEquals("12.3k", TickFormat.compact(12_345));
        assertEquals("1M", TickFormat.compact(999_999));
        assertEquals("100M", TickFormat.compact(1e8));
        assertEquals("0.001", TickFormat.compact(0.001));
        assertEquals("2.9e-4", TickFormat.compact(0.000290));
        assertEquals("1e-5", TickFormat.compact(1e-5));
        assertEquals("-2.5", TickFormat.compact(-2.5));
    }
}
