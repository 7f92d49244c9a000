package io.moxing.predict;

import io.moxing.core.UserException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNGs that clients send most — 8-bit grey, RGB or RGBA, not interlaced — straight from their bytes.
 * ImageIO's reader costs the serving path more than the image does (a cached stream registered with a
 * synchronised disposer, a format probe, a reader with its metadata objects per image), which showed in the
 * serving profile. Anything else (palettes, 16-bit or sub-byte samples, interlacing, transparency chunks, grey
 * with alpha) is left to ImageIO: {@link #decode} answers null for it. The pixels are those ImageIO gives
 * (PngDecoderTest compares them) and the size limit is checked on the header, before anything is inflated.
 */
final class PngDecoder {
    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int GREY = 0, RGB = 2, RGBA = 6;
    /**
     * Inflaters shared by the decoding threads, reset when given back: making one allocates native zlib state. A few
     * shared ones stay in the processor's caches, where one per request thread (up to 250) did not: the thread-local
     * lookup and the inflater's first touch were 3 of the 7 µs a served 28×28 PNG took in a profile.
     */
    private static final ArrayBlockingQueue<Inflater> INFLATERS =
            new ArrayBlockingQueue<>(2 * Runtime.getRuntime().availableProcessors());

    private PngDecoder() {}

    /**
     * The image, or null when it is not a PNG this decoder takes (ImageIO should then read it). Corrupt data in a
     * PNG it takes is a "not_an_image" {@link UserException}; more pixels than {@code budget} allows an
     * {@link ImageTooLargeException}. The budget is drawn only by an image this decoder decodes.
     */
    static BufferedImage decode(byte[] png, PixelBudget budget, String source) {
        try {
            return decodeChecked(png, budget, source);
        } catch (UserException e) {
            throw e;
        } catch (RuntimeException e) {
            // whatever a malformed header or stream trips (an array size, a buffer bound): the client's mistake
            throw corrupt(source);
        }
    }

    /** The size a PNG's header declares, or null when the bytes do not start as a PNG does (ImageIO should look). */
    static UntrustedImage.Size declared(byte[] png) {
        if (!startsWithHeader(png)) return null;
        ByteBuffer in = ByteBuffer.wrap(png);
        return new UntrustedImage.Size(in.getInt(16) & 0xFFFFFFFFL, in.getInt(20) & 0xFFFFFFFFL);
    }

    /** The signature, then the header chunk of its fixed length first, as the format requires. */
    private static boolean startsWithHeader(byte[] png) {
        if (png.length < 8 + 25) return false;
        ByteBuffer in = ByteBuffer.wrap(png);
        return in.getLong(0) == SIGNATURE && in.getInt(8) == 13 && in.getInt(12) == chunk("IHDR");
    }

    private static BufferedImage decodeChecked(byte[] png, PixelBudget budget, String source) {
        if (!startsWithHeader(png)) return null;
        ByteBuffer in = ByteBuffer.wrap(png);
        in.position(16);
        long width = in.getInt() & 0xFFFFFFFFL, height = in.getInt() & 0xFFFFFFFFL;
        int depth = in.get(), colour = in.get(), compression = in.get(), filter = in.get(), interlace = in.get();
        if (width == 0 || height == 0) return null; // ImageIO words the refusal
        // PNG itself allows sides up to 2^31 - 1
        budget.checkImage(source, width, height);
        if (depth != 8 || (colour != GREY && colour != RGB && colour != RGBA) || compression != 0 || filter != 0
                || interlace != 0) {
            return null;
        }
        budget.take(source, width, height);
        in.getInt(); // the header's CRC
        int channels = colour == GREY ? 1 : colour == RGB ? 3 : 4;
        int w = (int) width, h = (int) height, stride = w * channels;
        byte[] raw = new byte[Math.multiplyExact(h, stride + 1)];
        Inflater inflater = INFLATERS.poll();
        if (inflater == null) inflater = new Inflater();
        int filled = 0;
        boolean ended = false;
        try {
            while (!ended) {
                if (in.remaining() < 12) throw corrupt(source);
                int length = in.getInt(), type = in.getInt();
                if (length < 0 || length > in.remaining() - 4) throw corrupt(source);
                if (type == chunk("IDAT")) {
                    inflater.setInput(png, in.position(), length);
                    while (!inflater.needsInput() && filled < raw.length) {
                        int n = inflater.inflate(raw, filled, raw.length - filled);
                        if (n == 0 && (inflater.finished() || inflater.needsDictionary())) break;
                        filled += n;
                    }
                } else if (type == chunk("IEND")) {
                    ended = true;
                } else if (type == chunk("IHDR")) {
                    throw corrupt(source); // a second header: the file is not a PNG, whatever its first one allowed
                } else if (type == chunk("tRNS") || (type >>> 24 & 0x20) == 0) {
                    return null; // transparency, or a critical chunk this decoder does not know (PLTE...): ImageIO's
                }
                in.position(in.position() + length + 4); // data and CRC; ancillary chunks (text, gamma...) are skipped
            }
        } catch (DataFormatException e) {
            throw corrupt(source);
        } finally {
            // reset, it no longer holds this request's body; past the pool's room its native state is freed now
            inflater.reset();
            if (!INFLATERS.offer(inflater)) inflater.end();
        }
        if (filled < raw.length) throw corrupt(source);
        BufferedImage image = new BufferedImage(w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : channels == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_4BYTE_ABGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        unfilter(raw, h, stride, channels, source);
        for (int y = 0; y < h; y++) {
            int from = y * (stride + 1) + 1, to = y * stride;
            if (channels == 1) {
                System.arraycopy(raw, from, pixels, to, stride);
            } else {
                // PNG keeps R,G,B(,A); the Java types keep B,G,R and A,B,G,R
                for (int x = 0; x < stride; x += channels) {
                    int o = to + x, i = from + x;
                    if (channels == 3) {
                        pixels[o] = raw[i + 2];
                        pixels[o + 1] = raw[i + 1];
                        pixels[o + 2] = raw[i];
                    } else {
                        pixels[o] = raw[i + 3];
                        pixels[o + 1] = raw[i + 2];
                        pixels[o + 2] = raw[i + 1];
                        pixels[o + 3] = raw[i];
                    }
                }
            }
        }
        return image;
    }

    /** Undoes PNG's per-row filters in place; each row starts with its filter's byte. */
    private static void unfilter(byte[] raw, int height, int stride, int bpp, String source) {
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1) + 1, above = row - stride - 1;
            int type = raw[row - 1];
            for (int x = 0; x < stride; x++) {
                int a = x >= bpp ? raw[row + x - bpp] & 0xFF : 0;
                int b = y > 0 ? raw[above + x] & 0xFF : 0;
                int c = x >= bpp && y > 0 ? raw[above + x - bpp] & 0xFF : 0;
                int predicted = switch (type) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    case 4 -> paeth(a, b, c);
                    default -> throw corrupt(source);
                };
                raw[row + x] = (byte) (raw[row + x] + predicted);
            }
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int chunk(String type) {
        return type.charAt(0) << 24 | type.charAt(1) << 16 | type.charAt(2) << 8 | type.charAt(3);
    }

    private static UserException corrupt(String source) {
        return new UserException("not_an_image", source + ": not a readable JPEG or PNG image (truncated or corrupt data)");
    }
}
