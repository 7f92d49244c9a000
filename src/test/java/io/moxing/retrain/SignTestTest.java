package io.moxing.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sign test's tail against values worked by hand: P(X >= k) for X ~ Binomial(n, 1/2). */
class SignTestTest {
    @Test
    void tailsMatchTheBinomial() {
        assertEquals(56 / 1024.0, SignTest.of(8, 2).pValue(), 1e-12); // (C(10,8) + C(10,9) + C(10,10)) / 2^10
        assertEquals(11 / 1024.0, SignTest.of(9, 1).pValue(), 1e-12);
        assertEquals(1.0, SignTest.of(0, 0).pValue());
        assertEquals(0.5, SignTest.of(1, 0).pValue(), 1e-12);
        assertFalse(SignTest.of(8, 2).significant());
        assertTrue(SignTest.of(9, 1).significant());
        assertTrue(SignTest.of(600, 400).significant(), "large samples work in log space");
        assertFalse(SignTest.of(2, 1).significant(), "two rows against one is chance");
    }
}
