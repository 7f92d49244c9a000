package io.moxing.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;

/** A line chart of one or more series over a shared x axis (training curves, cost curves). */
public final class LineChart {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};
    private final String title;
    private final String xLabel;
    private final Map<String, double[]> series = new LinkedHashMap<>();
    private double[] xs;

    public LineChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    public LineChart x(double[] values) {
        this.xs = values;
        return this;
    }

    /** Adds a series; NaN points are skipped. */
    public LineChart series(String name, double[] values) {
        series.put(name, values);
        return this;
    }

    public BufferedImage render(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70, right = 20, top = 56, bottom = 50;
        int pw = width - left - right, ph = height - top - bottom;
        double xmin = Double.MAX_VALUE, xmax = -Double.MAX_VALUE, ymin = Double.MAX_VALUE, ymax = -Double.MAX_VALUE;
        for (double[] ys : series.values()) {
            for (int i = 0; i < ys.length; i++) {
                if (Double.isNaN(ys[i])) continue;
                xmin = Math.min(xmin, x(i));
                xmax = Math.max(xmax, x(i));
                ymin = Math.min(ymin, ys[i]);
                ymax = Math.max(ymax, ys[i]);
            }
        }
        if (xmin > xmax) {
            xmin = 0; xmax = 1; ymin = 0; ymax = 1;
        }
        if (xmax == xmin) xmax = xmin + 1;
        if (ymax == ymin) { ymax += 0.5; ymin -= 0.5; }
        double pad = (ymax - ymin) * 0.05;
        ymin -= pad;
        ymax += pad;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(new Color(0xdddddd));
        for (int t = 0; t <= 5; t++) {
            int y = top + ph - t * ph / 5;
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(format(ymin + t * (ymax - ymin) / 5), 5, y + 4);
            g.setColor(new Color(0xdddddd));
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, pw, ph);
        boolean integral = xs == null || java.util.Arrays.stream(xs).allMatch(v -> v == Math.rint(v));
        double tick = integral ? Math.max(1, Math.ceil((xmax - xmin) / 10)) : (xmax - xmin) / 5;
        for (double xv = xmin; xv <= xmax + 1e-9; xv += tick) {
            int x = left + (int) Math.round((xv - xmin) / (xmax - xmin) * pw);
            g.drawString(integral ? String.format("%.0f", xv) : format(xv), x - 6, top + ph + 16);
        }
        g.drawString(xLabel, left + pw / 2 - 20, height - 10);
        int k = 0;
        for (var e : series.entrySet()) {
            Color c = PALETTE[k % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            double[] ys = e.getValue();
            int px = -1, py = -1;
            for (int i = 0; i < ys.length; i++) {
                if (Double.isNaN(ys[i])) continue;
                int x = left + (int) Math.round((x(i) - xmin) / (xmax - xmin) * pw);
                int y = top + ph - (int) Math.round((ys[i] - ymin) / (ymax - ymin) * ph);
                if (px >= 0) g.drawLine(px, py, x, y);
                g.fillOval(x - 3, y - 3, 6, 6);
                px = x;
                py = y;
            }
            // legend: one row under the title, outside the plot
            int lx = left + k * 170;
            g.fillRect(lx, top - 14, 12, 3);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), lx + 16, top - 9);
            k++;
        }
        g.dispose();
        return image;
    }

    private double x(int i) {
        return xs != null ? xs[i] : i + 1;
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 0.01 || a >= 100000)) return String.format("%.2e", v);
        if (a >= 100) return String.format("%.0f", v);
        return String.format("%.3f", v);
    }
}
