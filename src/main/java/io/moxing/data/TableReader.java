package io.moxing.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads CSV (RFC 4180: quoted fields, doubled quotes, commas inside quotes) and JSONL (one object
 * per line) into a {@link Table}. A row that cannot be parsed is skipped and counted, never fatal.
 */
final class TableReader {
    private TableReader() {}

    static Table csv(Path file, RawDatasetCounter counter) {
        List<Table.Row> rows = new ArrayList<>();
        List<String> header = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                long start = lineNo;
                // a quoted field may span lines: keep reading until the quotes balance
                while (quoteCount(line) % 2 == 1) {
                    String next = in.readLine();
                    if (next == null) break;
                    line = line + "\n" + next;
                    lineNo++;
                }
                if (line.isBlank()) continue;
                List<String> cells = parseCsvLine(line);
                if (header == null) {
                    header = cells.stream().map(String::trim).toList();
                    continue;
                }
                counter.read();
                if (cells.size() != header.size()) {
                    counter.skip(file + ": line " + start + ": " + cells.size() + " cells, expected " + header.size());
                    continue;
                }
                rows.add(new Table.Row(start, cells.toArray(String[]::new)));
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserException("not_utf8", file + ": not UTF-8 text; convert it (e.g. iconv -t UTF-8) and retry", e);
        } catch (IOException e) {
            throw new UserException("unreadable_file", file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (header == null) {
            throw new UserException("empty_table", file + ": no header row; the first line must name the columns");
        }
        return new Table(header, rows);
    }

    static Table jsonl(Path file, RawDatasetCounter counter) {
        List<String> columns = new ArrayList<>();
        List<JsonNode> objects = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                counter.read();
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(line);
                } catch (IOException e) {
                    counter.skip(file + ": line " + lineNo + ": not valid JSON");
                    continue;
                }
                if (!node.isObject()) {
                    counter.skip(file + ": line " + lineNo + ": not a JSON object");
                    continue;
                }
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!columns.contains(f)) columns.add(f);
                }
                objects.add(node);
                lines.add(lineNo);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserException("not_utf8", file + ": not UTF-8 text; convert it and retry", e);
        } catch (IOException e) {
            throw new UserException("unreadable_file", file + ": cannot read (" + e.getMessage() + ")", e);
        }
        List<Table.Row> rows = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            JsonNode node = objects.get(i);
            String[] cells = new String[columns.size()];
            for (int c = 0; c < cells.length; c++) {
                JsonNode v = node.get(columns.get(c));
                cells[c] = v == null || v.isNull() ? "" : v.asText();
            }
            rows.add(new Table.Row(lines.get(i), cells));
        }
        return new Table(columns, rows);
    }

    private static int quoteCount(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '"') n++;
        }
        return n;
    }

    static List<String> parseCsvLine(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (ch != '\r') {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** Where a reader reports rows read and rows skipped. */
    interface RawDatasetCounter {
        void read();

        void skip(String reason);
    }
}
