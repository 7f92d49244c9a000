package io.moxing.data;

import java.util.Random;

/**
 * Applies a random affine transformation (rotation, shift, shear, zoom about the centre, then an optional
 * horizontal flip) to channel-first images, sampling bilinearly and filling from the nearest edge; then a
 * random crop of the padded image and random erasing ({@link RandomCrops}). Seeded per epoch, so a resumed
 * run sees the same augmented images as an uninterrupted one.
 */
public final class Augmenter {
    private final AugmentationSpec spec;
    private Random random = new Random(0);

    public Augmenter(AugmentationSpec spec) {
        this.spec = spec;
    }

    public void reseed(long seed) {
        random = new Random(seed);
    }

    /** Transforms one image of {@code channels x height x width} values in place. */
    public void apply(float[] image, int offset, int channels, int height, int width) {
        double theta = Math.toRadians(uniform(spec.rotation()));
        double tx = uniform(spec.widthShift()) * width;
        double ty = uniform(spec.heightShift()) * height;
        double shear = Math.toRadians(uniform(spec.shear()));
        double zx = 1 + uniform(spec.zoom());
        double zy = 1 + uniform(spec.zoom());
        boolean flip = spec.horizontalFlip() && random.nextBoolean();
        // the identity costs a copy and a bilinear pass: skip it when only crops or erasing were asked for
        if (theta != 0 || tx != 0 || ty != 0 || shear != 0 || zx != 1 || zy != 1 || flip) {
            transform(image, offset, channels, height, width, theta, tx, ty, shear, zx, zy, flip);
        }
        if (spec.cropPadding() > 0) {
            int pad = spec.cropPadding();
            RandomCrops.crop(image, offset, channels, height, width, random.nextInt(2 * pad + 1) - pad,
                    random.nextInt(2 * pad + 1) - pad);
        }
        if (spec.randomErasing() > 0 && random.nextDouble() < spec.randomErasing()) {
            RandomCrops.erase(image, offset, channels, height, width, random);
        }
    }

    private double uniform(double range) {
        return range == 0 ? 0 : (random.nextDouble() * 2 - 1) * range;
    }

    /**
     * Maps every output pixel back to its source point (the inverse mapping, as scipy's
     * affine_transform does for Keras): source = centre + A (output - centre) - shift, with
     * A = rotation x shear x zoom.
     */
    static void transform(float[] image, int offset, int channels, int height, int width, double theta, double tx,
                          double ty, double shear, double zx, double zy, boolean flip) {
        double cos = Math.cos(theta), sin = Math.sin(theta);
        // rotation [[cos, -sin], [sin, cos]] . shear [[1, -sin s], [0, cos s]] . zoom [[zy, 0], [0, zx]] in (row, col)
        double a00 = cos * zy, a01 = (cos * -Math.sin(shear) - sin * Math.cos(shear)) * zx;
        double a10 = sin * zy, a11 = (sin * -Math.sin(shear) + cos * Math.cos(shear)) * zx;
        double cy = (height - 1) / 2.0, cx = (width - 1) / 2.0;
        int plane = height * width;
        float[] source = java.util.Arrays.copyOfRange(image, offset, offset + channels * plane);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double dr = r - cy, dc = c - cx;
                double sr = cy + a00 * dr + a01 * dc - ty;
                double sc = cx + a10 * dr + a11 * dc - tx;
                int outCol = flip ? width - 1 - c : c;
                for (int ch = 0; ch < channels; ch++) {
                    image[offset + ch * plane + r * width + outCol] = bilinear(source, ch * plane, height, width, sr, sc);
                }
            }
        }
    }

    /** Bilinear sample; coordinates outside the image take the nearest edge's values. */
    private static float bilinear(float[] src, int base, int height, int width, double r, double c) {
        r = Math.max(0, Math.min(height - 1, r));
        c = Math.max(0, Math.min(width - 1, c));
        int r0 = (int) Math.floor(r), c0 = (int) Math.floor(c);
        int r1 = Math.min(r0 + 1, height - 1), c1 = Math.min(c0 + 1, width - 1);
        double fr = r - r0, fc = c - c0;
        double top = src[base + r0 * width + c0] * (1 - fc) + src[base + r0 * width + c1] * fc;
        double bottom = src[base + r1 * width + c0] * (1 - fc) + src[base + r1 * width + c1] * fc;
        return (float) (top * (1 - fr) + bottom * fr);
    }
}
