package io.moxing.predict;

import io.moxing.core.UserException;

/**
 * Counts a JPEG's scans before it is decoded. A progressive JPEG refines its image in scans, each a pass over every
 * pixel, and nothing in the format bounds how many it has: 155 KB of repeated scans in a 4096x4096 image took
 * ImageIO 75 s of one core, where the same image with its encoder's ten scans took under a second. Encoders write
 * at most about a dozen (libjpeg's progressive script: 10 for colour, 6 for grey), so more than
 * {@value #MOST_SCANS} is refused from the markers alone.
 */
final class JpegScans {
    static final int MOST_SCANS = 32;
    private static final int SOS = 0xDA, EOI = 0xD9, TEM = 0x01, RST0 = 0xD0, RST7 = 0xD7;

    private JpegScans() {}

    static boolean isJpeg(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
    }

    /**
     * Refuses a JPEG of more than {@value #MOST_SCANS} scans with an "image_too_complex" {@link UserException}. Walks the
     * marker segments and skips each scan's entropy-coded data; what it cannot walk (corrupt data) is left to the
     * decoder to refuse.
     */
    static void check(byte[] jpeg, String source) {
        int scans = 0;
        int i = 2;
        while (i + 1 < jpeg.length) {
            if ((jpeg[i] & 0xFF) != 0xFF) return; // not at a marker: corrupt, the decoder says so
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == EOI) return;
            if (marker == TEM || marker >= RST0 && marker <= RST7) {
                i += 2;
                continue;
            }
            if (i + 3 >= jpeg.length) return;
            int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
            i += 2 + length;
            if (marker != SOS) continue;
            if (++scans > MOST_SCANS) {
                throw new UserException("image_too_complex", source + ": the JPEG has more than " + MOST_SCANS
                        + " scans (encoders write about ten); re-encode it, or send it as PNG");
            }
            // the scan's data runs to the next marker: 0xFF followed by neither a stuffed 0 nor a restart marker
            while (i + 1 < jpeg.length && ((jpeg[i] & 0xFF) != 0xFF || (jpeg[i + 1] & 0xFF) == 0
                    || (jpeg[i + 1] & 0xFF) >= RST0 && (jpeg[i + 1] & 0xFF) <= RST7)) {
                i++;
            }
        }
    }
}
