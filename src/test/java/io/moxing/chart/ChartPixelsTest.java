package io.moxing.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** What the charts draw, read back from their pixels. */
class ChartPixelsTest {
    private static final int W = 900, H = 420;

    @Test
    void measurementsAreMarkersWithNoLineBetweenThem() {
        double[] x = {1, 2, 64};
        double[] cost = {3, 2.5, 0.5};
        BufferedImage points = new LineChart("cost", "batch size").x(x).measurements("cost", cost).render(W, H);
        BufferedImage curve = new LineChart("cost", "batch size").x(x).series("cost", cost).render(W, H);
        // between batch sizes 2 and 64 lies the middle of the plot: a curve crosses it, measurements leave it blank
        assertEquals(0, seriesPixels(points, W * 2 / 5, W * 3 / 5));
        assertTrue(seriesPixels(curve, W * 2 / 5, W * 3 / 5) > 20, "the control curve should cross the middle");
        // the markers themselves are drawn
        assertTrue(seriesPixels(points, W * 4 / 5, W) > 20, "a marker at batch size 64");
    }

    @Test
    void measurementsAreNotJoinedAcrossAMissingOne() {
        BufferedImage image = new LineChart("m", "x").x(new double[] {0, 50, 100})
                .measurements("m", new double[] {1, Double.NaN, 2}).render(W, H);
        assertEquals(0, seriesPixels(image, W * 2 / 5, W * 3 / 5));
    }

    @Test
    void eachCategoryIsItsOwnBarAndAMissingOneLeavesAGap() {
        BufferedImage bars = new BarChart("cost", "batch size").bar("1", 3).bar("2", 2.5).bar("64", 0.5).render(W, H);
        assertEquals(3, barRuns(bars));
        BufferedImage missing = new BarChart("cost", "batch size").bar("1", 3).bar("2", Double.NaN).bar("64", 0.5).render(W, H);
        assertEquals(2, barRuns(missing));
    }

    @Test
    void valuesAtOrBelowZeroOnALogAxisAreLeftOutRatherThanFailing() {
        BufferedImage image = new LineChart("v", "x").x(new double[] {1, 10, 100}).yScale(Scale.LOG)
                .series("v", new double[] {0, 5, 500}).render(W, H);
        assertTrue(seriesPixels(image, 0, W) > 0);
    }

    /** Pixels close to the first series' colour in columns [from, to), below the legend row. */
    private static int seriesPixels(BufferedImage image, int from, int to) {
        int n = 0;
        for (int px = from; px < to; px++) {
            for (int py = H / 5; py < H; py++) if (near(image.getRGB(px, py), PlotArea.color(0))) n++;
        }
        return n;
    }

    /** Separate runs of bar colour along a row just above the bars' base. */
    private static int barRuns(BufferedImage image) {
        int row = H - 60, runs = 0;
        boolean inBar = false;
        for (int px = 0; px < W; px++) {
            boolean bar = near(image.getRGB(px, row), PlotArea.color(0));
            if (bar && !inBar) runs++;
            inBar = bar;
        }
        return runs;
    }

    private static boolean near(int rgb, Color c) {
        Color p = new Color(rgb);
        return Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen()) + Math.abs(p.getBlue() - c.getBlue()) < 60;
    }
}
