package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.TestFiles;
import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImporterTest {
    @TempDir Path tmp;

    private ImportOptions options(Path source, int pad, Integer channels) {
        return new ImportOptions("digits", source, null, null, List.of(), null, null, 7, 0.2, 0.1, null, null, null,
                channels, pad, List.of(), "%");
    }

    private Path writeSet(boolean gzip) throws Exception {
        Path src = tmp.resolve("src");
        String gz = gzip ? ".gz" : "";
        TestFiles.write(src.resolve("train-images-idx3-ubyte" + gz), TestFiles.idxImages(50, 4, 5), gzip);
        TestFiles.write(src.resolve("train-labels-idx1-ubyte" + gz), TestFiles.idxLabels(50, 10), gzip);
        TestFiles.write(src.resolve("t10k-images-idx3-ubyte" + gz), TestFiles.idxImages(10, 4, 5), gzip);
        TestFiles.write(src.resolve("t10k-labels-idx1-ubyte" + gz), TestFiles.idxLabels(10, 10), gzip);
        return src;
    }

    @Test
    void importsGzippedAndRawFilesWithTheSourcesTestSplit() throws Exception {
        for (boolean gzip : new boolean[] {true, false}) {
            Path src = writeSet(gzip);
            DatasetStore store = new DatasetStore(tmp.resolve("store-" + gzip));
            DatasetManifest m = store.importFrom(options(src, 0, null));
            assertEquals(List.of(1, 4, 5), m.sampleShape());
            assertEquals(10, m.splits().get("test"));
            assertEquals(40, m.splits().get("train"));
            assertEquals(10, m.splits().get("validation"));
            assertEquals(60, m.cleaning().read());
            SplitData test = store.resolve("digits").load("test");
            // image i, row 1, column 2 holds (i + 3) mod 256, scaled to [0, 1]
            assertEquals(3 / 255f, test.features()[1 * 5 + 2], 1e-6);
            assertEquals(4 / 255f, test.features()[20 + 1 * 5 + 2], 1e-6);
            assertEquals(1f, test.labels()[1]);
        }
    }

    @Test
    void padsAndRepeatsChannelsForLeNetInputs() throws Exception {
        DatasetStore store = new DatasetStore(tmp.resolve("store"));
        DatasetManifest m = store.importFrom(options(writeSet(true), 2, 3));
        assertEquals(List.of(3, 8, 9), m.sampleShape());
        SplitData test = store.resolve("digits").load("test");
        float[] first = Arrays.copyOfRange(test.features(), 0, 3 * 8 * 9);
        assertEquals(0f, first[0]);
        // pixel (0,0) of the source lands at (2,2) in each of the three channels
        for (int c = 0; c < 3; c++) assertEquals(0f, first[c * 72 + 2 * 9 + 2]);
        assertEquals(1 / 255f, first[72 + 2 * 9 + 3], 1e-6);
    }

    @Test
    void truncatedImageFileNamesTheFileAndWhatToDo() throws Exception {
        Path src = writeSet(false);
        byte[] whole = Files.readAllBytes(src.resolve("train-images-idx3-ubyte"));
        Files.write(src.resolve("train-images-idx3-ubyte"), Arrays.copyOf(whole, whole.length - 7));
        DatasetStore store = new DatasetStore(tmp.resolve("store"));
        UserException e = assertThrows(UserException.class, () -> store.importFrom(options(src, 0, null)));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte: truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("copy or download the file again"), e.getMessage());
        assertTrue(store.list().isEmpty());
        assertEquals(List.of(), leftovers(tmp.resolve("store")));
    }

    @Test
    void truncatedGzipStreamIsReportedNotThrownRaw() throws Exception {
        Path src = writeSet(true);
        byte[] whole = Files.readAllBytes(src.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.write(src.resolve("t10k-labels-idx1-ubyte.gz"), Arrays.copyOf(whole, whole.length / 2));
        UserException e = assertThrows(UserException.class,
                () -> new DatasetStore(tmp.resolve("store")).importFrom(options(src, 0, null)));
        assertTrue(e.getMessage().startsWith(src.resolve("t10k-labels-idx1-ubyte.gz").toString()), e.getMessage());
    }

    @Test
    void importsTheRealFashionMnistFromItsDebianPackage() {
        DatasetStore store = new DatasetStore(tmp.resolve("store"));
        Dataset d = store.resolveOrImportKnown("fashion-mnist");
        DatasetManifest m = d.manifest();
        assertEquals(54000, m.splits().get("train"));
        assertEquals(6000, m.splits().get("validation"));
        assertEquals(10000, m.splits().get("test"));
        assertEquals("Ankle boot", m.classes().get(9));
        assertEquals(1000, m.cleaning().labelDistribution().get("test").get("Bag"));
        // same content, same version: importing again changes nothing
        assertEquals(m.version(), store.importFrom(DatasetStore.defaults("fashion-mnist",
                KnownSources.find("fashion-mnist").orElseThrow())).version());
        assertEquals(1, store.list().size());
    }

    @Test
    void subsetKeepsChosenClassesRelabelledAndLimitsTraining() throws Exception {
        DatasetStore store = new DatasetStore(tmp.resolve("store"));
        store.importFrom(options(writeSet(false), 0, null));
        DatasetManifest sub = store.subset("pair", "digits", List.of("3", "1"), 3, 5);
        assertEquals(List.of("3", "1"), sub.classes());
        assertEquals(3, sub.splits().get("train"));
        assertEquals(2, sub.splits().get("test"));
        SplitData test = store.resolve("pair").load("test");
        // the source's test images 1 and 3 (labels 1 and 3) become labels 1 and 0
        assertEquals(List.of(1f, 0f), List.of(test.labels()[0], test.labels()[1]));
        // pixel (row 1, column 2) of source image 1 is 1 + 1 + 2
        assertEquals((1 + 1 + 2) / 255f, test.features()[1 * 5 + 2], 1e-6);
        UserException e = assertThrows(UserException.class, () -> store.subset("bad", "digits", List.of("7", "x"), null, 1));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    static List<Path> leftovers(Path store) throws Exception {
        Path staging = store.resolve(".staging");
        if (!Files.exists(staging)) return List.of();
        try (var s = Files.list(staging)) {
            return s.toList();
        }
    }
}
