package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ImporterTest {
    @TempDir Path tmp;

    /** Records in the real layout: label byte, then 1024 red, 1024 green, 1024 blue bytes. */
    static byte[] batch(int records, int firstLabel) {
        byte[] bytes = new byte[records * Cifar10Importer.RECORD];
        for (int r = 0; r < records; r++) {
            int o = r * Cifar10Importer.RECORD;
            bytes[o] = (byte) ((firstLabel + r) % 10);
            for (int p = 0; p < 1024; p++) {
                bytes[o + 1 + p] = (byte) r;            // red plane: record number
                bytes[o + 1 + 1024 + p] = (byte) 100;  // green plane
                bytes[o + 1 + 2048 + p] = (byte) (p % 32); // blue plane: column
            }
        }
        return bytes;
    }

    private ImportOptions options(Path dir) {
        return new ImportOptions("cifar", dir, null, null, List.of(), null, null, 1, 0.25, 0.1, null, null, null, null, 0,
                List.of(), "%");
    }

    @Test
    void readsBatchesInTheBinaryFormat() throws Exception {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        Files.createDirectories(dir);
        Files.write(dir.resolve("data_batch_1.bin"), batch(6, 0));
        Files.write(dir.resolve("data_batch_2.bin"), batch(6, 6));
        Files.write(dir.resolve("test_batch.bin"), batch(4, 3));
        DatasetStore store = new DatasetStore(tmp.resolve("store"));
        DatasetManifest m = store.importFrom(options(dir));
        assertEquals(List.of(3, 32, 32), m.sampleShape());
        assertEquals("airplane", m.classes().get(0));
        assertEquals(4, m.splits().get("test"));
        assertEquals(12, m.splits().get("train") + m.splits().get("validation"));
        SplitData test = store.resolve("cifar").load("test");
        int plane = 1024;
        // test record 2: label 5, red = 2, green = 100, blue = column
        assertEquals(5f, test.labels()[2]);
        int o = 2 * 3 * plane;
        assertEquals(2 / 255f, test.features()[o], 1e-6);
        assertEquals(100 / 255f, test.features()[o + plane + 77], 1e-6);
        assertEquals(31 / 255f, test.features()[o + 2 * plane + 31], 1e-6);
        // the same record as a picture: a colour image, each channel from its own plane
        var picture = store.resolve("cifar").image("test", 2);
        assertEquals(java.awt.image.BufferedImage.TYPE_INT_RGB, picture.image().getType());
        assertEquals("dog", picture.label());
        assertEquals(2 << 16 | 100 << 8 | 31, picture.image().getRGB(31, 0) & 0xFFFFFF);
        assertEquals(2 << 16 | 100 << 8 | 5, picture.image().getRGB(5, 1) & 0xFFFFFF);
    }

    @Test
    void rejectsATruncatedBatchByName() throws Exception {
        Path dir = tmp.resolve("c");
        Files.createDirectories(dir);
        byte[] b = batch(3, 0);
        Files.write(dir.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(b, b.length - 100));
        UserException e = assertThrows(UserException.class, () -> new DatasetStore(tmp.resolve("s")).importFrom(options(dir)));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }
}
