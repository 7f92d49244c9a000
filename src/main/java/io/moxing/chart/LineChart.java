package io.moxing.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Series over a shared numeric x axis. A {@link #series curve} (training loss by epoch, cost by volume) is a line
 * through its points; {@link #measurements measurements} at a few x values are markers alone, because a line
 * between batch sizes 2 and 64 would claim values nobody measured. Ticks are round numbers; the y axis turns
 * logarithmic by itself when the values span more than two decades ({@link Scale#AUTO}), the x axis when asked.
 */
public final class LineChart {
    private enum Mark { LINE, POINTS }

    private record Series(String name, double[] values, Mark mark) {}

    private final String title;
    private final String xLabel;
    private final List<Series> series = new ArrayList<>();
    private double[] xs;
    private Scale xScale = Scale.LINEAR;
    private Scale yScale = Scale.AUTO;

    public LineChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /** The x value of each point; without it, points are numbered 1, 2, 3 … (epochs). */
    public LineChart x(double[] values) {
        this.xs = values;
        return this;
    }

    /** Adds a continuous curve: a line through its points; NaN points are skipped and the line joins their neighbours. */
    public LineChart series(String name, double[] values) {
        series.add(new Series(name, values, Mark.LINE));
        return this;
    }

    /** Adds discrete measurements: a marker at each point and no line between them; NaN points are left out. */
    public LineChart measurements(String name, double[] values) {
        series.add(new Series(name, values, Mark.POINTS));
        return this;
    }

    /** How the x axis maps values; linear unless asked, since epochs 1 to 300 are not "decades" of anything. */
    public LineChart xScale(Scale scale) {
        this.xScale = scale;
        return this;
    }

    /** How the y axis maps values; {@link Scale#AUTO} unless asked. */
    public LineChart yScale(Scale scale) {
        this.yScale = scale;
        return this;
    }

    public BufferedImage render(int width, int height) {
        double[] ys = series.stream().flatMapToDouble(s -> Arrays.stream(s.values())).toArray();
        Axis y = Axis.of(yScale, ys, PlotArea.yTickBudget(height), false);
        PlotArea plot = new PlotArea(width, height, title, y);
        // only x values that carry a point decide the x axis, so a trailing run of NaN does not stretch it
        double[] shown = IntStream.range(0, pointCount())
                .filter(i -> series.stream().anyMatch(s -> i < s.values().length && Double.isFinite(s.values()[i])))
                .mapToDouble(this::x).toArray();
        boolean integral = Arrays.stream(shown).allMatch(v -> v == Math.rint(v));
        Axis x = Axis.of(xScale, shown, plot.xTickBudget(), integral);
        plot.xAxis(x, xLabel);
        Graphics2D g = plot.graphics();
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color color = PlotArea.color(k);
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (int i = 0; i < s.values().length; i++) {
                double fx = x.fraction(x(i)), fy = y.fraction(s.values()[i]);
                // NaN values, and zero or less on a log axis, have no place on the plot
                if (!Double.isFinite(fx) || !Double.isFinite(fy)) continue;
                int cx = plot.px(fx), cy = plot.py(fy);
                if (s.mark() == Mark.LINE) {
                    if (px >= 0) g.drawLine(px, py, cx, cy);
                    g.fillOval(cx - 3, cy - 3, 6, 6);
                } else {
                    g.fillOval(cx - 5, cy - 5, 10, 10);
                }
                px = cx;
                py = cy;
            }
            plot.legend(s.name(), color, s.mark() == Mark.LINE);
        }
        return plot.finish();
    }

    private int pointCount() {
        return series.stream().mapToInt(s -> s.values().length).max().orElse(0);
    }

    private double x(int i) {
        return xs != null ? xs[i] : i + 1;
    }
}
