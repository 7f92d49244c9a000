package io.moxing.predict;

import io.moxing.core.UserException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image someone sent us. A few hundred bytes of PNG can declare 20000x20000 pixels and take
 * gigabytes to decode, so the declared size is read from the header first and an image over the limit is
 * refused before its pixels are touched. Corrupt data is a user mistake, whatever ImageIO throws for it.
 */
final class UntrustedImage {
    private UntrustedImage() {}

    /** The decoded image; {@link ImageTooLargeException} over {@code maxPixels}, a "not_an_image" {@link UserException} when unreadable. */
    static BufferedImage decode(byte[] bytes, long maxPixels, String source) {
        // a memory-cached stream, not ImageIO.createImageInputStream, which may buffer to a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UserException("not_an_image", source + ": not a readable JPEG or PNG image (unknown format)");
            }
            ImageReader reader = readers.next();
            try {
                // forward only and no metadata: the reader skips text and colour-profile chunks instead of inflating them
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new UserException("not_an_image", source + ": the image declares " + width + "x" + height + " pixels");
                }
                if (width * height > maxPixels) throw new ImageTooLargeException(source, width, height, maxPixels);
                return reader.read(0);
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
