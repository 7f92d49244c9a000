package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moxing.SharedHome;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Turning decoded images into the model's channel-first bytes. */
class ImagesTest {
    @Test
    void aGreyImageOfTheModelsSizeGivesTheSameBytesAsTheRedrawIntoRgb() {
        var store = new DatasetStore(SharedHome.home().datasets()).resolveOrImportKnown("fashion-mnist");
        for (int index = 0; index < 20; index++) {
            // a grey PNG decodes to TYPE_BYTE_GRAY, as an uploaded Fashion-MNIST image does on the server
            BufferedImage stored = store.image("test", index).image();
            BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) grey.getRaster().setSample(x, y, 0, stored.getRGB(x, y) & 0xFF);
            }
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, grey.getType());
            // the same pixels in an RGB image take the general path: redraw, then luminance
            BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            rgb.createGraphics().drawImage(grey, 0, 0, null);
            assertArrayEquals(Images.toChw(rgb, 1, 28, 28), Images.toChw(grey, 1, 28, 28), "test image " + index);
        }
    }

    @Test
    void anOpaqueRgbImageOfTheModelsSizeGivesTheBytesOfTheRedraw() {
        java.util.Random random = new java.util.Random(3);
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR}) {
            BufferedImage image = new BufferedImage(28, 28, type);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) image.setRGB(x, y, random.nextInt());
            }
            // the same pixels in a packing the direct path does not take (RGB with an unused alpha): the redraw
            BufferedImage redrawn = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
            redrawn.createGraphics().drawImage(image, 0, 0, null);
            for (int channels : new int[] {1, 3}) {
                assertArrayEquals(Images.toChw(redrawn, channels, 28, 28), Images.toChw(image, channels, 28, 28),
                        "type " + type + ", " + channels + " channels");
            }
        }
    }
}
