package io.moxing.data;

import java.util.Random;

/**
 * The two cut-based augmentations of the CIFAR recipes, on channel-first images in place: a random
 * crop of the padded image (as an integer shift with the border filled from the nearest edge, the same
 * fill as the affine transformations) and random erasing of one rectangle.
 */
final class RandomCrops {
    /** Zhong et al.'s defaults: the erased area is 2-33% of the image, its aspect ratio 0.3 to 1/0.3. */
    static final double MIN_AREA = 0.02;
    static final double MAX_AREA = 1 / 3.0;
    static final double MIN_ASPECT = 0.3;

    private RandomCrops() {}

    /**
     * Crops the image padded by |dy| rows and |dx| columns at offset (dy, dx) from its centre: output
     * pixel (r, c) is source pixel (r + dy, c + dx), clamped to the image.
     */
    static void crop(float[] image, int offset, int channels, int height, int width, int dy, int dx) {
        if (dy == 0 && dx == 0) return;
        int plane = height * width;
        float[] source = java.util.Arrays.copyOfRange(image, offset, offset + channels * plane);
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < height; r++) {
                int sr = Math.max(0, Math.min(height - 1, r + dy));
                for (int c = 0; c < width; c++) {
                    int sc = Math.max(0, Math.min(width - 1, c + dx));
                    image[offset + ch * plane + r * width + c] = source[ch * plane + sr * width + sc];
                }
            }
        }
    }

    /**
     * Sets one random rectangle of every channel to zero. Zero is the training split's mean after
     * normalisation, so the erased patch carries no information rather than a bright or dark block.
     * Up to ten draws find a rectangle that fits, as torchvision's RandomErasing; none fitting erases nothing.
     */
    static void erase(float[] image, int offset, int channels, int height, int width, Random random) {
        int area = height * width;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (MIN_AREA + random.nextDouble() * (MAX_AREA - MIN_AREA));
            double aspect = Math.exp(Math.log(MIN_ASPECT) + random.nextDouble() * -2 * Math.log(MIN_ASPECT));
            int h = (int) Math.round(Math.sqrt(target * aspect));
            int w = (int) Math.round(Math.sqrt(target / aspect));
            if (h < 1 || w < 1 || h > height || w > width) continue;
            int top = random.nextInt(height - h + 1);
            int left = random.nextInt(width - w + 1);
            for (int ch = 0; ch < channels; ch++) {
                for (int r = top; r < top + h; r++) {
                    int row = offset + ch * area + r * width;
                    java.util.Arrays.fill(image, row + left, row + left + w, 0f);
                }
            }
            return;
        }
    }
}
