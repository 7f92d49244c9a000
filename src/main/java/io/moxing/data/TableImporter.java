package io.moxing.data;

import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * CSV and JSONL tables: numeric columns as they are, categorical columns one-hot encoded, a named
 * label column (classes for classification, a number for regression), missing cells dropped or filled.
 */
final class TableImporter {
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "null", "nan", "none", "?");
    private static final int MAX_CLASSES_FOR_INTEGER_LABELS = 20;

    private TableImporter() {}

    static RawDataset read(ImportOptions options, boolean jsonl) {
        Path file = options.path();
        ImportCounter counter = new ImportCounter();
        Table table = jsonl ? TableReader.jsonl(file, counter) : TableReader.csv(file, counter);
        String labelName = options.labelColumn();
        if (labelName == null) {
            throw new UserException("missing_label", file + ": name the label column with --label (columns: "
                    + String.join(", ", table.columns()) + ")");
        }
        int label = table.columns().indexOf(labelName);
        if (label < 0) {
            throw new UserException("unknown_label_column", file + ": no column '" + labelName
                    + "'; the columns are: " + String.join(", ", table.columns()));
        }
        for (String c : options.categoricalColumns()) {
            if (!table.columns().contains(c)) {
                throw new UserException("unknown_column", file + ": --categorical names '" + c
                        + "', which is not a column; the columns are: " + String.join(", ", table.columns()));
            }
        }
        List<Column> features = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            if (c != label) {
                features.add(Column.infer(file, table, c, options.categoricalColumns().contains(table.columns().get(c))));
            }
        }
        boolean classification = isClassification(table, label, options.task());
        List<String> classes = classification ? classes(table, label) : List.of();
        List<String> names = new ArrayList<>();
        features.forEach(col -> names.addAll(col.featureNames()));

        RawDataset raw = new RawDataset("table", file.toString(), List.of(names.size()),
                classification ? Task.CLASSIFICATION : Task.REGRESSION, classes, names);
        raw.absorb(counter);
        SampleSet set = raw.partition(RawDataset.ALL, DType.FLOAT32);
        long missingCells = 0;
        long dropped = 0;
        for (Table.Row row : table.rows()) {
            String labelCell = row.cells()[label].trim();
            if (isMissing(labelCell)) {
                missingCells++;
                dropped++;
                continue;
            }
            float target;
            if (classification) {
                target = classes.indexOf(labelCell);
            } else {
                Double v = parse(labelCell);
                if (v == null) {
                    throw notANumber(file, row, labelName, labelCell, false);
                }
                target = v.floatValue();
            }
            float[] values = new float[names.size()];
            int offset = 0;
            boolean drop = false;
            for (Column col : features) {
                String cell = row.cells()[col.index].trim();
                if (isMissing(cell)) {
                    missingCells++;
                    if (options.missing() == ImportOptions.MissingPolicy.DROP) {
                        drop = true;
                        break;
                    }
                }
                offset = col.encode(file, row, cell, options.missing(), values, offset);
            }
            if (drop) {
                dropped++;
                continue;
            }
            set.add(values, target);
        }
        raw.missing(missingCells, dropped, options.missing().name().toLowerCase(java.util.Locale.ROOT));
        return raw;
    }

    static boolean isMissing(String cell) {
        return MISSING.contains(cell.toLowerCase(java.util.Locale.ROOT));
    }

    static Double parse(String cell) {
        try {
            double v = Double.parseDouble(cell);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static UserException notANumber(Path file, Table.Row row, String column, String cell, boolean feature) {
        return new UserException("not_a_number", file + ": line " + row.line() + ": column '" + column + "': '" + cell
                + "' is not a number; fix the cell" + (feature ? ", or declare the column categorical with --categorical "
                + column : ", or import with --task classification"));
    }

    private static boolean isClassification(Table table, int label, Task task) {
        if (task != null) {
            return task.isClassification();
        }
        Set<String> distinct = new TreeSet<>();
        for (Table.Row row : table.rows()) {
            String cell = row.cells()[label].trim();
            if (isMissing(cell)) continue;
            Double v = parse(cell);
            if (v == null) return true;
            if (v != Math.rint(v)) return false;
            distinct.add(cell);
        }
        return distinct.size() <= MAX_CLASSES_FOR_INTEGER_LABELS;
    }

    private static List<String> classes(Table table, int label) {
        Set<String> distinct = new TreeSet<>((a, b) -> {
            Double x = parse(a);
            Double y = parse(b);
            return x != null && y != null ? Double.compare(x, y) : a.compareTo(b);
        });
        for (Table.Row row : table.rows()) {
            String cell = row.cells()[label].trim();
            if (!isMissing(cell)) distinct.add(cell);
        }
        return List.copyOf(distinct);
    }

    /** One source column: numeric (one feature) or categorical (one feature per category). */
    private record Column(int index, String name, boolean categorical, List<String> categories, float mean,
                          String mostFrequent) {

        static Column infer(Path file, Table table, int index, boolean declaredCategorical) {
            String name = table.columns().get(index);
            int numeric = 0;
            int text = 0;
            double sum = 0;
            Map<String, Integer> counts = new HashMap<>();
            for (Table.Row row : table.rows()) {
                String cell = row.cells()[index].trim();
                if (isMissing(cell)) continue;
                counts.merge(cell, 1, Integer::sum);
                Double v = parse(cell);
                if (v == null) {
                    text++;
                } else {
                    numeric++;
                    sum += v;
                }
            }
            boolean categorical = declaredCategorical || text > numeric;
            if (!categorical && text > 0) {
                for (Table.Row row : table.rows()) {
                    String cell = row.cells()[index].trim();
                    if (!isMissing(cell) && parse(cell) == null) {
                        throw notANumber(file, row, name, cell, true);
                    }
                }
            }
            String mostFrequent = counts.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElse("");
            return new Column(index, name, categorical, List.copyOf(new TreeSet<>(counts.keySet())),
                    numeric == 0 ? 0f : (float) (sum / numeric), mostFrequent);
        }

        List<String> featureNames() {
            return categorical ? categories.stream().map(c -> name + "=" + c).toList() : List.of(name);
        }

        /** Writes this column's feature value(s) at {@code offset}; returns the next offset. */
        int encode(Path file, Table.Row row, String cell, ImportOptions.MissingPolicy missing, float[] out, int offset) {
            boolean absent = isMissing(cell);
            if (categorical) {
                String value = absent ? (missing == ImportOptions.MissingPolicy.MEAN ? mostFrequent : null) : cell;
                int k = value == null ? -1 : categories.indexOf(value);
                if (k >= 0) out[offset + k] = 1f;
                return offset + categories.size();
            }
            if (absent) {
                out[offset] = missing == ImportOptions.MissingPolicy.MEAN ? mean : 0f;
            } else {
                Double v = parse(cell);
                if (v == null) {
                    throw notANumber(file, row, name, cell, true);
                }
                out[offset] = v.floatValue();
            }
            return offset + 1;
        }
    }
}
