package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The crops and the erasing the AutoML image space draws from. */
class AutomlAugmentationTest {

    @Test
    void aCropIsAShiftWithTheBorderFromTheNearestEdge() {
        float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        RandomCrops.crop(image, 0, 1, 3, 3, 1, -1); // the crop window one row down, one column left
        assertArrayEquals(new float[] {4, 4, 5, 7, 7, 8, 7, 7, 8}, image);
    }

    @Test
    void erasingZeroesOneRectangleOfEveryChannel() {
        float[] image = new float[2 * 16 * 16];
        java.util.Arrays.fill(image, 1f);
        RandomCrops.erase(image, 0, 2, 16, 16, new Random(3));
        int zeros = 0;
        for (int i = 0; i < 256; i++) {
            if (image[i] == 0) zeros++;
            assertEquals(image[i], image[256 + i], "both channels erased alike");
        }
        assertTrue(zeros >= 0.02 * 256 * 0.5 && zeros <= 256 / 3.0 * 1.5, "erased " + zeros);
    }

    @Test
    void theAugmenterAppliesThemOnlyAsOften() {
        Augmenter never = new Augmenter(new AugmentationSpec(0, 0, 0, 0, 0, false, null, 0, 0));
        float[] image = new float[28 * 28];
        java.util.Arrays.fill(image, 1f);
        never.apply(image, 0, 1, 28, 28);
        assertTrue(allOnes(image), "nothing asked, nothing changed");
        Augmenter always = new Augmenter(new AugmentationSpec(0, 0, 0, 0, 0, false, null, 4, 1.0));
        always.reseed(1);
        always.apply(image, 0, 1, 28, 28);
        assertTrue(!allOnes(image), "erased");
    }

    private static boolean allOnes(float[] image) {
        for (float v : image) if (v != 1f) return false;
        return true;
    }
}
