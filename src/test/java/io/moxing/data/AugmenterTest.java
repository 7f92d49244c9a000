package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void noRangesAndNoFlipLeaveTheImageAsItIs() {
        float[] image = ramp(2 * 4 * 5);
        float[] copy = image.clone();
        Augmenter none = new Augmenter(new AugmentationSpec(0, 0, 0, 0, 0, false, null));
        none.apply(image, 0, 2, 4, 5);
        assertArrayEquals(copy, image, 1e-5f);
    }

    @Test
    void flipMirrorsEachRowAndShiftFillsFromTheNearestEdge() {
        float[] image = {1, 2, 3, 4, 5, 6};
        Augmenter.transform(image, 0, 1, 2, 3, 0, 0, 0, 0, 1, 1, true);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, image, 1e-5f);
        float[] shifted = {1, 2, 3, 4, 5, 6};
        // content moves one column right; the emptied first column repeats the edge
        Augmenter.transform(shifted, 0, 1, 2, 3, 0, 1, 0, 0, 1, 1, false);
        assertArrayEquals(new float[] {1, 1, 2, 4, 4, 5}, shifted, 1e-5f);
    }

    @Test
    void fourQuarterTurnsGiveTheImageBack() {
        float[] image = ramp(3 * 5 * 5);
        float[] copy = image.clone();
        Augmenter.transform(image, 0, 3, 5, 5, Math.PI / 2, 0, 0, 0, 1, 1, false);
        assertFalse(Arrays.equals(copy, image));
        float[] sortedOnce = image.clone();
        Arrays.sort(sortedOnce);
        assertArrayEquals(copy, sortedOnce, 1e-4f, "a quarter turn of a square only moves pixels");
        for (int i = 0; i < 3; i++) Augmenter.transform(image, 0, 3, 5, 5, Math.PI / 2, 0, 0, 0, 1, 1, false);
        assertArrayEquals(copy, image, 1e-4f);
    }

    @Test
    void theSameSeedGivesTheSameImages() {
        AugmentationSpec spec = new AugmentationSpec(40, 0.2, 0.2, 0.2, 0.2, true, "nearest");
        float[] a = ramp(3 * 8 * 8), b = ramp(3 * 8 * 8), c = ramp(3 * 8 * 8);
        Augmenter first = new Augmenter(spec), second = new Augmenter(spec);
        first.reseed(7);
        second.reseed(7);
        first.apply(a, 0, 3, 8, 8);
        second.apply(b, 0, 3, 8, 8);
        assertArrayEquals(a, b, 0f);
        second.reseed(8);
        second.apply(c, 0, 3, 8, 8);
        assertFalse(Arrays.equals(a, c));
    }
}
