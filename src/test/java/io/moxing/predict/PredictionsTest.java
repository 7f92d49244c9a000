package io.moxing.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The best class found in one pass is the first of the ranking, ties and NaN included. */
class PredictionsTest {
    private static void agrees(float... probabilities) {
        assertEquals((int) Predictions.ranked(probabilities).get(0), Predictions.best(probabilities));
    }

    @Test
    void theBestClassIsTheFirstOfTheRanking() {
        assertEquals(2, Predictions.best(new float[] {0.1f, 0.2f, 0.6f, 0.1f}));
        agrees(0.1f, 0.2f, 0.6f, 0.1f);
        agrees(0.3f, 0.3f, 0.3f); // a tie keeps the earlier class
        assertEquals(1, Predictions.best(new float[] {0.2f, 0.4f, 0.4f}));
        agrees(Float.NaN, 0.1f, 0.2f); // NaN ranks last
        assertEquals(2, Predictions.best(new float[] {Float.NaN, 0.1f, 0.2f}));
        agrees(Float.NaN, Float.NaN);
        agrees(0f, -0f, -1f);
        agrees(0.7f);
    }
}
