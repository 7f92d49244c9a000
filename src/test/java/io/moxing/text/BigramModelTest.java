package io.moxing.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BigramModelTest {
    @Test
    void probabilitiesAreADistributionAndUnseenPairsKeepSomeMass() {
        int[] train = {1, 2, 3, 1, 2, 3, 1, 2, 4, 0};
        BigramModel m = BigramModel.fit(train, 6);
        for (int previous = 0; previous < 6; previous++) {
            double total = 0;
            for (int next = 0; next < 6; next++) total += m.probability(previous, next);
            assertEquals(1.0, total, 1e-9, "context " + previous);
        }
        assertTrue(m.probability(1, 2) > 0.5, "1 is always followed by 2");
        assertTrue(m.probability(1, 5) > 0, "an unseen pair is not impossible");
        assertTrue(m.perplexity(new int[] {1, 2, 3, 1, 2}) < m.perplexity(new int[] {5, 4, 5, 4, 5}));
    }
}
