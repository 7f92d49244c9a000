package io.moxing.data;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Decoding JPEG and PNG images into channel-first uint8 pixels of a fixed size. */
public final class Images {
    static {
        // ImageIO's default buffers every decoded stream in a temporary file: a disk write per image
        ImageIO.setUseCache(false);
    }

    private Images() {}

    /** Decodes an image, or returns null when the bytes are not a readable JPEG or PNG. */
    public static BufferedImage decode(byte[] bytes) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            // ImageIO throws assorted runtime exceptions on corrupt data; all mean "not an image"
            return null;
        }
    }

    public static BufferedImage decode(Path file) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }

    public static boolean isGray(BufferedImage image) {
        return image.getColorModel().getNumColorComponents() == 1;
    }

    /** Resizes (bilinear) and converts to {@code channels} x height x width bytes; 1 channel is luminance. */
    public static byte[] toChw(BufferedImage image, int channels, int width, int height) {
        image = greyWithAlphaAsArgb(image);
        if (channels == 1 && image.getType() == BufferedImage.TYPE_BYTE_GRAY && image.getWidth() == width
                && image.getHeight() == height) {
            // already the model's size and one grey channel (a served Fashion-MNIST image): the raster is the
            // answer, without a redraw into RGB and back to luminance (which gives the same bytes)
            byte[] grey = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
            int stride = image.getRaster().getSampleModel() instanceof java.awt.image.ComponentSampleModel m
                    ? m.getScanlineStride() : width;
            if (stride == width && grey.length == width * height) return grey.clone();
        }
        if (image.getWidth() == width && image.getHeight() == height) {
            byte[] direct = opaqueRgb(image, channels);
            if (direct != null) return direct;
        }
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        byte[] out = new byte[channels * width * height];
        int plane = width * height;
        // the TYPE_INT_RGB raster holds 0xRRGGBB per pixel: read it directly, not through getRGB per pixel
        int[] pixels = ((java.awt.image.DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < plane; i++) put(out, i, plane, channels, pixels[i] >> 16 & 0xFF, pixels[i] >> 8 & 0xFF, pixels[i] & 0xFF);
        return out;
    }

    /**
     * A grey image with an alpha channel (a PNG of colour type 4, or grey with a transparency chunk, as ImageIO reads
     * them) as the RGBA image of the same values, or the image itself for any other kind. Java takes such an image's
     * grey as linear light and redrew it through the sRGB curve (grey 50 became about 124), so an opaque grey+alpha
     * PNG was answered differently from the same pixels as plain grey; drawn as RGBA, its alpha composites over black
     * as an RGBA PNG's does. Samples of 16 bits are rounded to 8.
     */
    private static BufferedImage greyWithAlphaAsArgb(BufferedImage image) {
        var model = image.getColorModel();
        if (model.getColorSpace().getType() != java.awt.color.ColorSpace.TYPE_GRAY || !model.hasAlpha()
                || image.getRaster().getNumBands() != 2) {
            return image;
        }
        var raster = image.getRaster();
        int greyMax = (1 << model.getComponentSize(0)) - 1, alphaMax = (1 << model.getComponentSize(1)) - 1;
        BufferedImage argb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        int[] pixels = ((java.awt.image.DataBufferInt) argb.getRaster().getDataBuffer()).getData();
        int[] sample = new int[2];
        for (int y = 0, i = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++, i++) {
                raster.getPixel(x, y, sample);
                int grey = (sample[0] * 255 + greyMax / 2) / greyMax, alpha = (sample[1] * 255 + alphaMax / 2) / alphaMax;
                pixels[i] = alpha << 24 | grey << 16 | grey << 8 | grey;
            }
        }
        return argb;
    }

    /**
     * The channel-first bytes of an opaque RGB image that already has the model's size, read from its raster: a
     * redraw at the same size copies the pixels unchanged (ImagesTest), and it was most of the serving path's
     * decoding time for such images. Null for other kinds of image (alpha, grey, indexed, packed differently).
     */
    private static byte[] opaqueRgb(BufferedImage image, int channels) {
        int plane = image.getWidth() * image.getHeight();
        byte[] out = new byte[channels * plane];
        if (image.getType() == BufferedImage.TYPE_INT_RGB
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferInt ints
                && image.getRaster().getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel m
                && m.getScanlineStride() == image.getWidth() && ints.getData().length == plane) {
            int[] pixels = ints.getData();
            for (int i = 0; i < plane; i++) put(out, i, plane, channels, pixels[i] >> 16 & 0xFF, pixels[i] >> 8 & 0xFF, pixels[i] & 0xFF);
            return out;
        }
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte bytes
                && image.getRaster().getSampleModel() instanceof java.awt.image.ComponentSampleModel m
                && m.getScanlineStride() == 3 * image.getWidth() && bytes.getData().length == 3 * plane) {
            byte[] bgr = bytes.getData();
            for (int i = 0; i < plane; i++) put(out, i, plane, channels, bgr[3 * i + 2] & 0xFF, bgr[3 * i + 1] & 0xFF, bgr[3 * i] & 0xFF);
            return out;
        }
        return null;
    }

    /** Pixel {@code i}: its luminance (one channel) or its red, green and blue planes. */
    private static void put(byte[] out, int i, int plane, int channels, int r, int g, int b) {
        if (channels == 1) {
            out[i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        } else {
            out[i] = (byte) r;
            out[plane + i] = (byte) g;
            out[2 * plane + i] = (byte) b;
        }
    }
}
