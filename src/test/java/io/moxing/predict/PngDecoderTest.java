package io.moxing.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moxing.core.UserException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngDecoderTest {
    private static final long LIMIT = 40_000_000;

    @Test
    void givesImageIosPixelsForGreyRgbAndRgba() throws IOException {
        Random random = new Random(7);
        int[][] sizes = {{28, 28}, {1, 1}, {37, 19}, {300, 2}};
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
                BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB};
        for (int type : types) {
            for (int[] size : sizes) {
                // smooth regions and noise, so that ImageIO's writer picks every row filter somewhere
                BufferedImage made = new BufferedImage(size[0], size[1], type);
                for (int y = 0; y < size[1]; y++) {
                    for (int x = 0; x < size[0]; x++) {
                        int argb = random.nextInt(4) == 0 ? random.nextInt() : (x * 5 + y * 3) * 0x01010101 ^ 0x40302010;
                        made.setRGB(x, y, argb);
                    }
                }
                byte[] png = png(made);
                BufferedImage ours = PngDecoder.decode(png, PixelBudget.of(LIMIT), "test");
                BufferedImage theirs = ImageIO.read(new ByteArrayInputStream(png));
                assertNotNull(ours, "type " + type + " " + Arrays.toString(size));
                assertArrayEquals(rgb(theirs), rgb(ours), "type " + type + " " + Arrays.toString(size));
                assertEquals(theirs.getColorModel().hasAlpha(), ours.getColorModel().hasAlpha());
            }
        }
    }

    @Test
    void leavesOtherPngsAndOtherFormatsToImageIo() throws IOException {
        BufferedImage indexed = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_BINARY);
        assertNull(PngDecoder.decode(png(indexed), PixelBudget.of(LIMIT), "test"), "1-bit: ImageIO's");
        BufferedImage deep = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        assertNull(PngDecoder.decode(png(deep), PixelBudget.of(LIMIT), "test"), "16-bit: ImageIO's");
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "jpeg", jpeg);
        assertNull(PngDecoder.decode(jpeg.toByteArray(), PixelBudget.of(LIMIT), "test"));
    }

    @Test
    void refusesABombFromItsHeaderAndCorruptDataAsNotAnImage() throws IOException {
        byte[] header = pngHeader(20_000, 20_000);
        assertThrows(ImageTooLargeException.class, () -> PngDecoder.decode(header, PixelBudget.of(LIMIT), "bomb"));
        // sides whose product overflows a long as signed 32-bit values would: refused, nothing allocated
        assertThrows(ImageTooLargeException.class, () -> PngDecoder.decode(pngHeader(0xD5555556, 0xFFFFFFFF), PixelBudget.of(LIMIT), "wrap"));
        assertThrows(ImageTooLargeException.class, () -> PngDecoder.decode(pngHeader(0x80000000, 1), PixelBudget.of(LIMIT), "wide"));
        byte[] whole = png(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY));
        for (int cut : new int[] {40, whole.length / 2, whole.length - 13}) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            UserException e = assertThrows(UserException.class, () -> PngDecoder.decode(truncated, PixelBudget.of(LIMIT), "cut"));
            assertEquals("not_an_image", e.code());
        }
        byte[] garbled = whole.clone();
        for (int i = 41; i < garbled.length - 12; i++) garbled[i] = (byte) (i * 31);
        assertEquals("not_an_image", assertThrows(UserException.class, () -> PngDecoder.decode(garbled, PixelBudget.of(LIMIT), "x")).code());
        // a second header after the first (5000×5000 declared where 28×28 was read): not a PNG, whatever the first allowed
        byte[] second = pngHeader(5000, 5000);
        byte[] doubled = new byte[whole.length + 25];
        System.arraycopy(whole, 0, doubled, 0, 33);
        System.arraycopy(second, 8, doubled, 33, 25);
        System.arraycopy(whole, 33, doubled, 58, whole.length - 33);
        assertEquals("not_an_image", assertThrows(UserException.class, () -> PngDecoder.decode(doubled, PixelBudget.of(LIMIT), "2")).code());
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A PNG signature and an 8-bit grey IHDR declaring {@code w} x {@code h}, and nothing else. */
    private static byte[] pngHeader(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25 + 12);
        b.putLong(0x89504E470D0A1A0AL).putInt(13).put("IHDR".getBytes()).putInt(w).putInt(h).put(new byte[] {8, 0, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        b.putInt(0).put("IEND".getBytes()).putInt(0);
        return b.array();
    }

    private static int[] rgb(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
