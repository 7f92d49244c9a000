package io.moxing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** PNG files written byte by byte, for images no encoder would make: bombs and broken headers. */
final class Pngs {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private Pngs() {}

    /** 20000x20000 16-bit RGBA declared in a header, then a few bytes of pixel data: decoding it would want 3.2 GB. */
    static byte[] truncatedBomb() {
        return png(20_000, 20_000, 16, 6, deflate(new byte[4096], 1));
    }

    /**
     * A complete, valid 20000x20000 1-bit grayscale image of zeros: about 50 KB that inflate to 50 MB. Rows are
     * streamed through the compressor, so the test never holds the image.
     */
    static byte[] validBomb() {
        int width = 20_000;
        byte[] row = new byte[1 + width / 8]; // filter byte 0 (none), then 1 bit per pixel
        return png(width, 20_000, 1, 0, deflate(row, 20_000));
    }

    /** A PNG of the given header fields and IDAT, every chunk with its CRC. */
    static byte[] png(int width, int height, int bitDepth, int colorType, byte[] idat) {
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType)
                .put((byte) 0).put((byte) 0).put((byte) 0); // deflate, adaptive filtering, no interlace
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.writeBytes(chunk("IHDR", header.array()));
        out.writeBytes(chunk("IDAT", idat));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(name).put(data).putInt((int) crc.getValue()).array();
    }

    /** {@code row} repeated {@code times}, zlib-compressed as IDAT wants it. */
    private static byte[] deflate(byte[] row, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            for (int i = 0; i < times; i++) z.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
