package io.moxing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Writes the small real-format files the tests import. */
public final class TestFiles {
    public static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private TestFiles() {}

    /** An IDX image file (magic 0x803) of {@code count} images of rows x cols, pixel = (i + r + c) mod 256. */
    public static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count; i++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) b.put((byte) (i + r + c));
        return b.array();
    }

    public static byte[] idxLabels(int count, int classes) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) b.put((byte) (i % classes));
        return b.array();
    }

    public static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    public static byte[] png(int width, int height, Color color) throws IOException {
        return image(width, height, color, "png");
    }

    public static byte[] image(int width, int height, Color color, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width / 2, height / 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
