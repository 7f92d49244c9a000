package io.moxing.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextImporterTest {
    @TempDir Path tmp;

    private ImportOptions options(Path path, double validation) {
        return new ImportOptions("poems", path, "text", null, List.of(), null, null, 5, validation, 0.0, null, null, null,
                null, 0, List.of(), "%");
    }

    @Test
    void stripsNestedAndBrokenAnsiCodesUntilNoneRemain() {
        assertEquals("静夜思", TextImporter.stripAnsi("\u001B[32m静\u001B[\u001B[0m1;33m夜\u001B[m思"));
        assertEquals("床前明月光", TextImporter.stripAnsi("\\x1b[31m床前x1b[0m明月[1;36m光"));
    }

    @Test
    void splitsEntriesOnSeparatorLinesDeduplicatesAndSplitsByWholeEntries() throws Exception {
        Path dir = tmp.resolve("fortunes");
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) b.append("\u001B[32m第").append(i).append("首\u001B[m\n床前明月光\n%\n");
        b.append("\u001B[32m第0首\u001B[m\n床前明月光\n%\n");
        Files.writeString(dir.resolve("tang300"), b.toString());
        Files.write(dir.resolve("tang300.dat"), new byte[] {1, 2, 3});
        DatasetStore store = new DatasetStore(tmp.resolve("s"));
        DatasetManifest m = store.importFrom(options(dir, 0.25));
        assertEquals("text", m.kind());
        assertEquals(1, m.cleaning().duplicatesRemoved());
        assertEquals(10, m.splits().get("validation"));
        assertEquals(30, m.splits().get("train"));
        String train = Files.readString(store.resolve("poems").directory().resolve("train.txt"));
        assertFalse(train.contains("\u001B"));
        assertFalse(train.contains("%"));
    }

    @Test
    void anEmptyCorpusIsAClearError() throws Exception {
        Path f = tmp.resolve("empty.txt");
        Files.writeString(f, "%\n\n%\n");
        UserException e = assertThrows(UserException.class, () -> new DatasetStore(tmp.resolve("s")).importFrom(options(f, 0.1)));
        assertEquals("empty_corpus", e.code());
    }
}
