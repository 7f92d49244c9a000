package io.moxing.chart;

import static io.moxing.chart.NiceScaleTest.assertTicks;
import static io.moxing.chart.NiceScaleTest.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogScaleTest {
    @Test
    void threeToSeventeenThousandTicksAtPowersOfTen() {
        LogScale s = LogScale.of(3, 17_000, 9);
        assertTicks(List.of(1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0), s);
        assertEquals(List.of("1", "10", "100", "1k", "10k", "100k"), labels(s));
    }

    @Test
    void twoAndFiveGoBetweenWhenThereIsRoom() {
        LogScale s = LogScale.of(1, 64, 12);
        assertEquals(List.of("1", "2", "5", "10", "20", "50", "100"), labels(s));
    }

    @Test
    void tooManyDecadesLabelEveryThirdAndEndOnALabelledOne() {
        LogScale s = LogScale.of(0.002, 300_000, 4);
        assertEquals(List.of("0.001", "1", "1k", "1M"), labels(s));
        assertEquals(1e6, s.hi(), 1e-6);
    }

    @Test
    void requestVolumesReadAsThousandsAndMillions() {
        assertEquals(List.of("1k", "10k", "100k", "1M", "10M", "100M"), labels(LogScale.of(1_000, 100_000_000, 12)));
    }

    @Test
    void equalSpacingPerDecadeAndNothingBelowZero() {
        LogScale s = LogScale.of(1, 1000, 9);
        assertEquals(0, s.fraction(1), 1e-12);
        assertEquals(1 / 3.0, s.fraction(10), 1e-12);
        assertEquals(1, s.fraction(1000), 1e-12);
        assertTrue(Double.isNaN(s.fraction(0)));
    }

    @Test
    void autoTurnsLogarithmicOnlyPastTwoDecadesOfPositiveValues() {
        assertInstanceOf(LogScale.class, Axis.of(Scale.AUTO, new double[] {3, 50, 17_000}, 9, false));
        assertInstanceOf(NiceScale.class, Axis.of(Scale.AUTO, new double[] {1, 2, 64}, 9, false));
        assertInstanceOf(NiceScale.class, Axis.of(Scale.AUTO, new double[] {0, 3, 17_000}, 9, false));
        assertInstanceOf(LogScale.class, Axis.of(Scale.LOG, new double[] {1, 2, 64}, 9, false));
        // nothing positive to put on a log axis: linear rather than an empty plot
        assertInstanceOf(NiceScale.class, Axis.of(Scale.LOG, new double[] {0, -1}, 9, false));
        assertInstanceOf(NiceScale.class, Axis.of(Scale.AUTO, new double[] {Double.NaN, 0.5, Double.NaN}, 9, false));
    }
}
