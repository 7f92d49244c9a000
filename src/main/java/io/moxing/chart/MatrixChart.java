package io.moxing.chart;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A heat map of a square matrix with row and column labels: confusion matrices. */
public final class MatrixChart {
    private MatrixChart() {}

    public static BufferedImage render(String title, long[][] counts, List<String> labels) {
        int n = counts.length;
        int cell = Math.max(28, Math.min(60, 600 / Math.max(1, n)));
        int left = 130, top = 50;
        int width = left + n * cell + 20;
        int height = top + n * cell + 110;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title + " (rows: true class, columns: predicted)", 10, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < n; r++) {
            long rowTotal = 0;
            for (long c : counts[r]) rowTotal += c;
            for (int c = 0; c < n; c++) {
                double share = rowTotal == 0 ? 0 : (double) counts[r][c] / rowTotal;
                int shade = (int) Math.round(255 - share * 200);
                g.setColor(r == c ? new Color(shade, 255 - (255 - shade) / 3, shade) : new Color(255, shade, shade));
                g.fillRect(left + c * cell, top + r * cell, cell, cell);
                g.setColor(Color.BLACK);
                String text = Long.toString(counts[r][c]);
                g.drawString(text, left + c * cell + cell / 2 - g.getFontMetrics().stringWidth(text) / 2, top + r * cell + cell / 2 + 4);
            }
            g.drawString(shorten(labels.get(r)), 5, top + r * cell + cell / 2 + 4);
        }
        g.setColor(Color.GRAY);
        g.drawRect(left, top, n * cell, n * cell);
        g.setColor(Color.BLACK);
        for (int c = 0; c < n; c++) {
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.translate(left + c * cell + cell / 2 + 4, top + n * cell + 8);
            rotated.rotate(Math.PI / 2);
            rotated.drawString(shorten(labels.get(c)), 0, 0);
            rotated.dispose();
        }
        g.dispose();
        return image;
    }

    private static String shorten(String s) {
        return s.length() > 18 ? s.substring(0, 17) + "…" : s;
    }
}
