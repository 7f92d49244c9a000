package io.moxing.data;

import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to import: the source, its format, label column, missing-value policy, split fractions and seed,
 * image options (target size, channels, padding), and for text whether personal data is redacted.
 *
 * @param task a table's task ({@link #TABLE_TASKS}); null to infer it from the label column
 */
public record ImportOptions(
        String name,
        java.nio.file.Path path,
        String format,
        String labelColumn,
        List<String> categoricalColumns,
        Task task,
        MissingPolicy missing,
        long seed,
        double validationFraction,
        double testFraction,
        String normalize,
        Integer imageWidth,
        Integer imageHeight,
        Integer channels,
        int pad,
        List<String> classNames,
        String textSeparator,
        boolean redactPii) {

    /** What to do with a missing table cell. */
    public enum MissingPolicy { DROP, MEAN, ZERO }

    /** The tasks a table's label column can be imported for. */
    public static final Set<Task> TABLE_TASKS = EnumSet.of(Task.CLASSIFICATION, Task.REGRESSION);

    public ImportOptions {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new UserException("invalid_name", "data-set name '" + name
                    + "' must be 1-64 lower-case letters, digits, '.', '_' or '-' (e.g. fashion-mnist)");
        }
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
            throw new UserException("invalid_split", "--validation-fraction " + validationFraction
                    + " and --test-fraction " + testFraction + " must be >= 0 and sum to less than 1 (e.g. 0.1 and 0.1)");
        }
        if (task != null && !TABLE_TASKS.contains(task)) {
            // the CLI parses --task against TABLE_TASKS, so only a caller in code gets here
            throw new IllegalArgumentException("a table is imported for " + TABLE_TASKS + ", not " + task);
        }
        if (pad < 0 || pad > 64) {
            throw new UserException("invalid_option", "--pad " + pad + " must be between 0 and 64");
        }
        if (channels != null && channels != 1 && channels != 3) {
            throw new UserException("invalid_option", "--channels " + channels + " must be 1 or 3");
        }
        categoricalColumns = categoricalColumns == null ? List.of() : List.copyOf(categoricalColumns);
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        missing = missing == null ? MissingPolicy.DROP : missing;
        textSeparator = textSeparator == null ? "%" : textSeparator;
    }

    /** Options without PII redaction (every source but a text corpus a user asked to redact). */
    public ImportOptions(String name, java.nio.file.Path path, String format, String labelColumn,
                         List<String> categoricalColumns, Task task, MissingPolicy missing, long seed,
                         double validationFraction, double testFraction, String normalize, Integer imageWidth,
                         Integer imageHeight, Integer channels, int pad, List<String> classNames, String textSeparator) {
        this(name, path, format, labelColumn, categoricalColumns, task, missing, seed, validationFraction, testFraction,
                normalize, imageWidth, imageHeight, channels, pad, classNames, textSeparator, false);
    }

    /** The options worth recording in the manifest, so the import can be repeated. */
    public Map<String, String> recorded() {
        var m = new java.util.TreeMap<String, String>();
        m.put("format", format);
        m.put("seed", Long.toString(seed));
        m.put("validation_fraction", Double.toString(validationFraction));
        m.put("test_fraction", Double.toString(testFraction));
        if (labelColumn != null) m.put("label", labelColumn);
        if (!categoricalColumns.isEmpty()) m.put("categorical", String.join(",", categoricalColumns));
        if (task != null) m.put("task", task.wireName());
        m.put("missing", missing.name().toLowerCase(java.util.Locale.ROOT));
        if (normalize != null) m.put("normalize", normalize);
        if (imageWidth != null) m.put("width", imageWidth.toString());
        if (imageHeight != null) m.put("height", imageHeight.toString());
        if (channels != null) m.put("channels", channels.toString());
        if (pad > 0) m.put("pad", Integer.toString(pad));
        // a reader of the manifest must know the corpus is not the source's text verbatim
        if (redactPii) m.put("redact_pii", "true");
        return m;
    }
}
