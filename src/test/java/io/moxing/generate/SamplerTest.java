package io.moxing.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.UserException;
import io.moxing.text.BpeTokenizer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final float[] LOGITS = {0.1f, 2.0f, 1.9f, -1f, 0.5f, 1.0f};

    private static int[] draws(Sampler s, int n) {
        return IntStream.range(0, n).map(i -> s.next(LOGITS)).toArray();
    }

    @Test
    void greedyTakesTheArgMaxAndCutsReduceToIt() {
        assertEquals(1, Sampler.greedy().next(LOGITS));
        assertTrue(IntStream.of(draws(new Sampler(1.0, 1, 1.0, 7), 50)).allMatch(t -> t == 1), "top-k 1 is greedy");
        assertTrue(IntStream.of(draws(new Sampler(1.0, 0, 0.01, 7), 50)).allMatch(t -> t == 1), "a tiny nucleus is greedy");
    }

    @Test
    void sameSeedSameTokensAndCutsHold() {
        assertEquals(java.util.Arrays.toString(draws(new Sampler(0.8, 0, 1.0, 42), 100)),
                java.util.Arrays.toString(draws(new Sampler(0.8, 0, 1.0, 42), 100)));
        int[] a = draws(new Sampler(1.0, 0, 1.0, 1), 200);
        int[] b = draws(new Sampler(1.0, 0, 1.0, 2), 200);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        // top-k 2 only ever picks the two most likely tokens (1 and 2), and both appear
        int[] topTwo = draws(new Sampler(1.0, 2, 1.0, 3), 300);
        assertTrue(IntStream.of(topTwo).allMatch(t -> t == 1 || t == 2));
        assertTrue(IntStream.of(topTwo).anyMatch(t -> t == 2) && IntStream.of(topTwo).anyMatch(t -> t == 1));
    }

    @Test
    void topKSelectionRanksAsAFullStableSort() {
        java.util.Random r = new java.util.Random(5);
        float[] logits = new float[500];
        for (int i = 0; i < logits.length; i++) logits[i] = r.nextInt(40) / 4f;  // many ties
        int[] full = Sampler.ranked(logits, logits.length);
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(full, 40)),
                java.util.Arrays.toString(Sampler.ranked(logits, 40)));
    }

    @Test
    void badSettingsAreUserErrors() {
        assertThrows(UserException.class, () -> new Sampler(-1, 0, 1, 0));
        assertThrows(UserException.class, () -> new Sampler(1, -1, 1, 0));
        assertThrows(UserException.class, () -> new Sampler(1, 0, 0, 0));
    }

    @Test
    void streamHoldsBackHalfCharacters() {
        // with only byte tokens, each Chinese character arrives as three tokens
        BpeTokenizer bytes = BpeTokenizer.fit(List.of("ab"), 257);
        TextStream stream = new TextStream(bytes);
        StringBuilder shown = new StringBuilder();
        for (int id : bytes.encode("春眠a")) {
            String piece = stream.add(id);
            assertTrue(piece.indexOf('\uFFFD') < 0, "no half character shown: " + piece);
            shown.append(piece);
        }
        shown.append(stream.finish());
        assertEquals("春眠a", shown.toString());
    }
}
