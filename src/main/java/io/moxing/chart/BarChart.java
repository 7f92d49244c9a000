package io.moxing.chart;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Measured values by category (compute cost by batch size): one bar per category, evenly spaced and labelled with
 * its value, so batch sizes 1, 2 and 64 read as three measurements rather than as a line through values never
 * measured. Bars start at zero on a linear axis, since a bar's length is the value it shows.
 */
public final class BarChart {
    /** The share of a category's slot the bar fills; the rest keeps neighbouring bars apart. */
    private static final double BAR_SHARE = 0.6;

    private final String title;
    private final String xLabel;
    private final List<String> categories = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();

    public BarChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /** Adds a category with its measured value; NaN keeps the category's place and label but draws no bar. */
    public BarChart bar(String category, double value) {
        categories.add(category);
        values.add(value);
        return this;
    }

    public BufferedImage render(int width, int height) {
        double[] withZero = new double[values.size() + 1];
        for (int i = 0; i < values.size(); i++) withZero[i + 1] = values.get(i);
        Axis y = Axis.of(Scale.LINEAR, withZero, PlotArea.yTickBudget(height), false);
        PlotArea plot = new PlotArea(width, height, title, y);
        plot.xCategories(categories, xLabel);
        Graphics2D g = plot.graphics();
        int half = (int) Math.round(plot.plotWidth() * BAR_SHARE / Math.max(1, categories.size()) / 2);
        int base = plot.py(y.fraction(0));
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (!Double.isFinite(v)) continue;
            int cx = plot.px((i + 0.5) / categories.size());
            int end = plot.py(y.fraction(v));
            g.setColor(PlotArea.color(0));
            g.fillRect(cx - half, Math.min(base, end), 2 * half, Math.abs(base - end));
            g.setColor(Color.BLACK);
            String label = TickFormat.compact(v);
            // above a positive bar, below a negative one
            int ty = v >= 0 ? end - 5 : end + 14;
            g.drawString(label, cx - g.getFontMetrics().stringWidth(label) / 2, ty);
        }
        return plot.finish();
    }
}
