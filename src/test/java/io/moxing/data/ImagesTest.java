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
        TensorFile test = TensorFile.read(store.directory().resolve("test.x"));
        for (int index = 0; index < 20; index++) {
            // a one-channel set's picture is grey, as a grey PNG decodes on the server (TYPE_BYTE_GRAY)
            BufferedImage grey = store.image("test", index).image();
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, grey.getType());
            // its samples are the stored bytes themselves (setRGB would have taken them through Java's sRGB curve)
            for (int i = 0; i < 28 * 28; i++) {
                assertEquals(test.data().get(test.data().position() + index * test.sampleSize() + i) & 0xFF,
                        grey.getRaster().getSample(i % 28, i / 28, 0), "test image " + index + ", pixel " + i);
            }
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
