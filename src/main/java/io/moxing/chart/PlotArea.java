package io.moxing.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The frame every chart shares: title, a legend row under it, the plot rectangle with its grid, tick labels and
 * axis label; charts draw their marks inside it through {@link #px} and {@link #py}.
 */
final class PlotArea {
    static final Color BACKGROUND = Color.WHITE;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};
    private static final Color GRID = new Color(0xe6e6e6);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final int TOP = 56, BOTTOM = 50, RIGHT = 24;
    /** Pixels a tick label needs so that neighbours never touch: a row of text vertically, "100k" and a gap horizontally. */
    private static final int Y_TICK_PIXELS = 36, X_TICK_PIXELS = 70;

    private final BufferedImage image;
    private final Graphics2D g;
    private final int left, top, width, height;
    private int legendX;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** The k-th series' colour. */
    static Color color(int k) {
        return PALETTE[k % PALETTE.length];
    }

    /** How many ticks fit up a plot in an image this tall. */
    static int yTickBudget(int imageHeight) {
        return (imageHeight - TOP - BOTTOM) / Y_TICK_PIXELS + 1;
    }

    /** Starts a chart: background, title and the value axis, whose labels decide how wide the left margin is. */
    PlotArea(int imageWidth, int imageHeight, String title, Axis y) {
        image = new BufferedImage(imageWidth, imageHeight, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, imageWidth, imageHeight);
        g.setFont(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int widest = y.ticks().stream().mapToInt(t -> fm.stringWidth(y.label(t))).max().orElse(0);
        left = Math.max(50, widest + 16);
        top = TOP;
        width = imageWidth - left - RIGHT;
        height = imageHeight - TOP - BOTTOM;
        legendX = left;
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        g.drawString(title, left, 24);
        g.setFont(TEXT);
        for (double t : y.ticks()) {
            int py = py(y.fraction(t));
            g.setColor(GRID);
            g.drawLine(left, py, left + width, py);
            g.setColor(Color.DARK_GRAY);
            String label = y.label(t);
            g.drawString(label, left - 6 - fm.stringWidth(label), py + 4);
        }
    }

    /** How many ticks fit across the plot. */
    int xTickBudget() {
        return width / X_TICK_PIXELS + 1;
    }

    int plotWidth() {
        return width;
    }

    /** A numeric x axis: a light vertical grid line and a label at each tick, the axis label under them. */
    void xAxis(Axis x, String label) {
        for (double t : x.ticks()) {
            int px = px(x.fraction(t));
            g.setColor(GRID);
            g.drawLine(px, top, px, top + height);
            centred(x.label(t), px, top + height + 16);
        }
        centred(label, left + width / 2, top + height + 38);
    }

    /** A categorical x axis: each name centred under its slot, the axis label under them. */
    void xCategories(List<String> names, String label) {
        for (int i = 0; i < names.size(); i++) centred(names.get(i), px((i + 0.5) / names.size()), top + height + 16);
        centred(label, left + width / 2, top + height + 38);
    }

    /** Adds an entry to the legend row: a short line for a curve, a dot for measurements. */
    void legend(String name, Color color, boolean line) {
        g.setColor(color);
        if (line) g.fillRect(legendX, top - 14, 14, 3);
        else g.fillOval(legendX + 3, top - 17, 8, 8);
        g.setColor(Color.BLACK);
        g.drawString(name, legendX + 19, top - 9);
        legendX += 19 + g.getFontMetrics().stringWidth(name) + 24;
    }

    int px(double fraction) {
        return left + (int) Math.round(fraction * width);
    }

    int py(double fraction) {
        return top + height - (int) Math.round(fraction * height);
    }

    Graphics2D graphics() {
        return g;
    }

    /** Draws the frame over the marks' edges and hands over the picture. */
    BufferedImage finish() {
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, width, height);
        g.dispose();
        return image;
    }

    private void centred(String text, int x, int y) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }
}
