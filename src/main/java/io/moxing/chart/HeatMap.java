package io.moxing.chart;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * An explanation drawn over its image: the grey image with a red overlay where occluding it lowered the
 * prediction most, scaled up so that a 28x28 input is legible.
 */
public final class HeatMap {
    private HeatMap() {}

    public static BufferedImage overlay(float[] image, int channels, int height, int width, double[][] drop, int patch,
                                        int stride, int scale) {
        double max = 1e-9;
        for (double[] row : drop) for (double d : row) max = Math.max(max, d);
        double[][] heat = new double[height][width];
        int[][] covered = new int[height][width];
        for (int r = 0; r < drop.length; r++) {
            for (int c = 0; c < drop[r].length; c++) {
                for (int y = r * stride; y < r * stride + patch; y++) {
                    for (int x = c * stride; x < c * stride + patch; x++) {
                        heat[y][x] += Math.max(0, drop[r][c]) / max;
                        covered[y][x]++;
                    }
                }
            }
        }
        BufferedImage out = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double grey = 0;
                for (int ch = 0; ch < channels; ch++) grey += image[ch * height * width + y * width + x];
                grey = Math.max(0, Math.min(1, grey / channels));
                double h = covered[y][x] == 0 ? 0 : heat[y][x] / covered[y][x];
                int base = (int) (grey * 180);
                Color color = new Color(Math.min(255, base + (int) (h * 255)), (int) (base * (1 - h)), (int) (base * (1 - h)));
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) out.setRGB(x * scale + dx, y * scale + dy, color.getRGB());
                }
            }
        }
        return out;
    }
}
