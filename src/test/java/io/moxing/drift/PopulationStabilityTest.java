package io.moxing.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The index and its bins: deciles of the reference, the textbook values, an empty bin. */
class PopulationStabilityTest {

    @Test
    void edgesAreTheDecilesAndEachBinHoldsATenth() {
        double[] values = IntStream.range(0, 1000).mapToDouble(i -> i).toArray();
        InputReference reference = InputReference.of(values);
        assertArrayEquals(new double[] {100, 200, 300, 400, 500, 600, 700, 800, 900}, reference.edges());
        for (double share : reference.expected()) assertEquals(0.1, share, 1e-12);
        assertEquals(0, PopulationStability.bin(reference.edges(), -5));
        assertEquals(1, PopulationStability.bin(reference.edges(), 100), "a value on an edge goes to the upper bin");
        assertEquals(9, PopulationStability.bin(reference.edges(), 1e9));
    }

    @Test
    void theSameDistributionIsStable() {
        Random random = new Random(7);
        InputReference reference = InputReference.of(random.doubles(10_000).map(d -> d * d).toArray());
        InputDrift drift = new InputDrift(reference);
        assertTrue(Double.isNaN(drift.index()), "no rows yet: no index");
        for (int i = 0; i < 10_000; i++) drift.observe(new float[] {(float) Math.pow(random.nextDouble(), 2)});
        assertTrue(drift.index() < 0.01, "same distribution: " + drift.index());
        assertEquals(0.0, PopulationStability.index(new double[] {0.25, 0.75}, new long[] {25, 75}), 1e-12);
    }

    @Test
    void aKnownShiftGivesTheTextbookValue() {
        // expected 50/50, actual 25/75: (0.25 - 0.5) ln(0.5) + (0.75 - 0.5) ln(1.5) = 0.2747
        assertEquals(0.2747, PopulationStability.index(new double[] {0.5, 0.5}, new long[] {25, 75}), 1e-4);
        // ten equal bins, everything in the top one: (1 − 0.1)·ln(1/0.1) + 9·(0.1 − ε)·ln(0.1/ε)
        long[] top = new long[10];
        top[9] = 1000;
        double[] tenths = new double[10];
        java.util.Arrays.fill(tenths, 0.1);
        double expected = 0.9 * Math.log(10) + 9 * (0.1 - PopulationStability.EPSILON) * Math.log(0.1 / PopulationStability.EPSILON);
        assertEquals(expected, PopulationStability.index(tenths, top), 1e-9);
        assertTrue(PopulationStability.index(tenths, top) > 0.25);
    }

    @Test
    void rowsAreBinnedByTheirMean() {
        InputDrift drift = new InputDrift(InputReference.of(IntStream.range(0, 10).mapToDouble(i -> i).toArray()));
        drift.observe(new float[] {2, 4}); // mean 3
        drift.observe(new float[] {9, 9, 9});
        assertEquals(1, drift.rows(3));
        assertEquals(1, drift.rows(9));
    }
}
