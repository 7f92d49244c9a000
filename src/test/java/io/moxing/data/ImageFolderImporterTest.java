package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.TestFiles;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderImporterTest {
    @TempDir Path tmp;

    private ImportOptions options(Path dir, Integer size) {
        return new ImportOptions("pets", dir, null, null, List.of(), null, null, 3, 0.2, 0.2, null, size, size, null, 0,
                List.of(), "%");
    }

    @Test
    void readsClassFoldersSkipsCorruptFilesAndCountsThem() throws Exception {
        Path dir = tmp.resolve("images");
        for (int i = 0; i < 5; i++) {
            Files.createDirectories(dir.resolve("cats"));
            Files.createDirectories(dir.resolve("dogs"));
            Files.write(dir.resolve("cats/c" + i + ".png"), TestFiles.png(20 + i, 16, new Color(200, 10 * i, 0)));
            Files.write(dir.resolve("dogs/d" + i + ".jpg"), TestFiles.image(16, 16, new Color(0, 0, 150 + i), "jpg"));
        }
        Files.writeString(dir.resolve("cats/broken.png"), "this is not a png");
        Files.write(dir.resolve("dogs/cut.jpg"), java.util.Arrays.copyOf(TestFiles.image(16, 16, Color.RED, "jpg"), 20));
        DatasetStore store = new DatasetStore(tmp.resolve("store"));
        DatasetManifest m = store.importFrom(options(dir, 12));
        assertEquals(List.of("cats", "dogs"), m.classes());
        assertEquals(List.of(3, 12, 12), m.sampleShape());
        assertEquals(12, m.cleaning().read());
        assertEquals(2, m.cleaning().unreadableSkipped());
        assertTrue(m.cleaning().skippedExamples().stream().anyMatch(s -> s.contains("broken.png")));
        assertEquals(10, m.cleaning().kept() + m.cleaning().duplicatesRemoved());
    }

    @Test
    void usesTrainAndValidationFoldersAsGiven() throws Exception {
        Path dir = tmp.resolve("split");
        for (String split : List.of("train", "validation")) {
            for (String c : List.of("a", "b")) {
                Files.createDirectories(dir.resolve(split).resolve(c));
                for (int i = 0; i < 3; i++) {
                    Files.write(dir.resolve(split).resolve(c).resolve(i + ".png"),
                            TestFiles.png(8, 8, new Color(i * 40, c.equals("a") ? 0 : 200, split.length() * 10)));
                }
            }
        }
        DatasetManifest m = new DatasetStore(tmp.resolve("store")).importFrom(options(dir, null));
        assertEquals(6, m.splits().get("validation"));
        assertEquals(List.of(3, 8, 8), m.sampleShape());
        assertEquals(6, m.splits().get("train") + m.splits().getOrDefault("test", 0));
    }
}
