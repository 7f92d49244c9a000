package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.Json;
import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableImporterTest {
    @TempDir Path tmp;

    private ImportOptions options(Path file, String label, ImportOptions.MissingPolicy missing, Task task) {
        return new ImportOptions("table", file, null, label, List.of(), task, missing, 1, 0.0, 0.0, "none", null, null,
                null, 0, List.of(), "%");
    }

    private Path csv(String content) throws Exception {
        Path f = tmp.resolve("data.csv");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void encodesNumericAndCategoricalColumnsAndQuotedCells() throws Exception {
        Path f = csv("size,colour,note,label\n1.5,red,\"a, quoted\",yes\n2,blue,x,no\n3,red,y,yes\n4,\"blue\",z,no\n");
        DatasetStore store = new DatasetStore(tmp.resolve("s"));
        DatasetManifest m = store.importFrom(options(f, "label", null, null));
        assertEquals(Task.CLASSIFICATION, m.task());
        assertEquals(List.of("no", "yes"), m.classes());
        assertEquals(List.of("size", "colour=blue", "colour=red", "note=a, quoted", "note=x", "note=y", "note=z"),
                m.featureNames());
        SplitData train = store.resolve("table").load("train");
        assertEquals(4, train.count());
    }

    @Test
    void dropsOrFillsMissingCells() throws Exception {
        Path f = csv("a,b,y\n1,10,0.5\n,20,1.5\n3,NA,2.5\n5,40,3.5\n");
        DatasetManifest dropped = new DatasetStore(tmp.resolve("d")).importFrom(options(f, "y", ImportOptions.MissingPolicy.DROP, null));
        assertEquals(Task.REGRESSION, dropped.task());
        assertEquals(2, dropped.cleaning().rowsDroppedForMissing());
        assertEquals(2, dropped.cleaning().missingValues());
        assertEquals(2, dropped.splits().get("train"));
        DatasetStore filledStore = new DatasetStore(tmp.resolve("f"));
        DatasetManifest filled = filledStore.importFrom(options(f, "y", ImportOptions.MissingPolicy.MEAN, null));
        assertEquals(4, filled.splits().get("train"));
        SplitData data = filledStore.resolve("table").load("train");
        // row 2's missing 'a' becomes the mean of 1, 3, 5
        boolean found = false;
        for (int i = 0; i < data.count(); i++) {
            if (data.labels()[i] == 1.5f) {
                assertEquals(3f, data.features()[i * 2], 1e-6);
                found = true;
            }
        }
        assertTrue(found);
    }

    @Test
    void aCellThatIsNotANumberNamesFileLineAndColumn() throws Exception {
        Path f = csv("a,b,y\n1,2,0\n3,4,1\n5,abc,0\n7,8,1\n");
        UserException e = assertThrows(UserException.class,
                () -> new DatasetStore(tmp.resolve("s")).importFrom(options(f, "y", null, null)));
        assertEquals(f + ": line 4: column 'b': 'abc' is not a number; fix the cell, or declare the column categorical"
                + " with --categorical b", e.getMessage());
    }

    @Test
    void anUnknownLabelColumnListsTheColumns() throws Exception {
        Path f = csv("a,b,y\n1,2,0\n");
        UserException e = assertThrows(UserException.class,
                () -> new DatasetStore(tmp.resolve("s")).importFrom(options(f, "target", null, null)));
        assertEquals(f + ": no column 'target'; the columns are: a, b, y", e.getMessage());
    }

    @Test
    void skipsMalformedRowsAndJsonLinesAndCountsThem() throws Exception {
        Path csvFile = csv("a,b,y\n1,2,0\n1,2\n3,4,1\n5,6,0\n");
        DatasetManifest m = new DatasetStore(tmp.resolve("c")).importFrom(options(csvFile, "y", null, null));
        assertEquals(1, m.cleaning().unreadableSkipped());
        assertTrue(m.cleaning().skippedExamples().get(0).contains("line 3"));
        Path jsonl = tmp.resolve("rows.jsonl");
        Files.writeString(jsonl, "{\"x\": 1, \"y\": \"a\"}\n{not json\n{\"x\": 2, \"y\": \"b\"}\n[1]\n{\"x\": 3, \"y\": \"a\"}\n");
        DatasetManifest j = new DatasetStore(tmp.resolve("j")).importFrom(options(jsonl, "y", null, null));
        assertEquals(2, j.cleaning().unreadableSkipped());
        assertEquals(3, j.splits().get("train"));
        assertEquals(List.of("a", "b"), j.classes());
    }

    @Test
    void removesDuplicateRows() throws Exception {
        Path f = csv("a,y\n1,0\n1,0\n2,1\n1,1\n");
        DatasetManifest m = new DatasetStore(tmp.resolve("s")).importFrom(options(f, "y", null, Task.CLASSIFICATION));
        assertEquals(1, m.cleaning().duplicatesRemoved());
        assertEquals(3, m.splits().get("train"));
    }

    @Test
    void theManifestStoresTheTaskByItsNameAndWritesItBackUnchanged() throws Exception {
        Path f = csv("a,y\n1,0.5\n2,1.5\n3,2.5\n");
        DatasetStore store = new DatasetStore(tmp.resolve("s"));
        DatasetManifest m = store.importFrom(options(f, "y", null, Task.REGRESSION));
        Path file = tmp.resolve("s").resolve(m.name()).resolve(m.version()).resolve("manifest.json");
        String stored = Files.readString(file);
        assertTrue(stored.contains("\"task\" : \"regression\""), stored);
        assertEquals(stored, Json.pretty(Json.read(file, DatasetManifest.class)) + "\n",
                "read and written again, the manifest is the same text");
    }
}
