package io.moxing.data;

import java.util.ArrayList;
import java.util.List;

/** Rows read and rows skipped while a source is parsed, with the first few reasons. */
final class ImportCounter implements TableReader.RawDatasetCounter {
    long read;
    long skipped;
    final List<String> examples = new ArrayList<>();

    @Override
    public void read() {
        read++;
    }

    @Override
    public void skip(String reason) {
        skipped++;
        if (examples.size() < 10) {
            examples.add(reason);
        }
    }
}
