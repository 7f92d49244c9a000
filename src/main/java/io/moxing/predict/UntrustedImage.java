package io.moxing.predict;

import io.moxing.core.UserException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image someone sent us. A few hundred bytes of PNG can declare 20000x20000 pixels and take
 * gigabytes to decode, so the declared size is read from the header first and an image over the limit is
 * refused before its pixels are touched. Corrupt data is a user mistake, whatever ImageIO throws for it.
 */
final class UntrustedImage {
    /**
     * The image readers ImageIO has, in its order, found once: {@code ImageIO.getImageReaders} walks and orders
     * its registry on every call, which showed in the serving profile.
     */
    private static final List<ImageReaderSpi> READERS = readers();

    private UntrustedImage() {}

    private static List<ImageReaderSpi> readers() {
        List<ImageReaderSpi> out = new ArrayList<>();
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true).forEachRemaining(out::add);
        return List.copyOf(out);
    }

    /** A reader of the first format that recognises the stream's first bytes, or null. */
    private static ImageReader readerFor(ImageInputStream in) throws IOException {
        for (ImageReaderSpi spi : READERS) {
            // as ImageIO does: each format looks at the first bytes from the same place; one that fails to look says no
            in.mark();
            boolean recognised;
            try {
                recognised = spi.canDecodeInput(in);
            } catch (IOException e) {
                recognised = false;
            } finally {
                in.reset();
            }
            if (recognised) return spi.createReaderInstance();
        }
        return null;
    }

    /** The width and height an image's header declares. */
    record Size(long width, long height) {}

    /**
     * What the image declares, read from its header alone (nothing is inflated), so that a request's images can
     * all be charged to its budget before any of them is decoded; a "not_an_image" {@link UserException} when
     * unreadable.
     */
    static Size declared(byte[] bytes, String source) {
        Size png = PngDecoder.declared(bytes);
        if (png != null) return positive(png, source);
        if (JpegScans.isJpeg(bytes)) JpegScans.check(bytes, source);
        return withReader(bytes, source, reader -> positive(new Size(reader.getWidth(0), reader.getHeight(0)), source));
    }

    /**
     * The decoded image; {@link ImageTooLargeException} when it declares more pixels than {@code budget} allows, a
     * "not_an_image" {@link UserException} when unreadable.
     */
    static BufferedImage decode(byte[] bytes, PixelBudget budget, String source) {
        BufferedImage common = PngDecoder.decode(bytes, budget, source);
        if (common != null) return common;
        if (JpegScans.isJpeg(bytes)) JpegScans.check(bytes, source);
        return withReader(bytes, source, reader -> {
            Size size = positive(new Size(reader.getWidth(0), reader.getHeight(0)), source);
            budget.take(source, size.width(), size.height());
            return reader.read(0);
        });
    }

    private static Size positive(Size size, String source) {
        if (size.width() <= 0 || size.height() <= 0) {
            throw new UserException("not_an_image", source + ": the image declares " + size.width() + "x" + size.height()
                    + " pixels");
        }
        return size;
    }

    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /** Runs {@code work} with an ImageIO reader of the image's format; whatever ImageIO throws for corrupt data is a user mistake. */
    private static <T> T withReader(byte[] bytes, String source, ReaderWork<T> work) {
        // a memory-cached stream, not ImageIO.createImageInputStream, which may buffer to a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in);
            if (reader == null) {
                throw new UserException("not_an_image", source + ": not a readable JPEG or PNG image (unknown format)");
            }
            try {
                // forward only and no metadata: the reader skips text and colour-profile chunks instead of inflating them
                reader.setInput(in, true, true);
                return work.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (UserException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // IIOException, IndexOutOfBounds, NegativeArraySize, IllegalArgument...: ImageIO's ways of saying "corrupt"
            throw new UserException("not_an_image", source + ": not a readable JPEG or PNG image (truncated or corrupt data)");
        }
    }
}
