package io.moxing.data;

import java.util.List;

/** A table as read from CSV or JSONL: column names and rows of cells, each row with its source line. */
record Table(List<String> columns, List<Row> rows) {
    record Row(long line, String[] cells) {}
}
