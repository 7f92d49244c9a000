package io.moxing.cli;

import io.moxing.core.Task;
import io.moxing.core.UserException;
import io.moxing.data.DatasetManifest;
import io.moxing.data.DatasetStore;
import io.moxing.data.ImportOptions;
import io.moxing.data.KnownSources;
import io.moxing.privacy.RedactionTally;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "data", description = "Import, list and inspect data sets.",
        subcommands = {DataCommand.Import.class, DataCommand.ListSets.class, DataCommand.Show.class,
                DataCommand.ExportImage.class, DataCommand.Subset.class})
final class DataCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a data set as a new immutable version (IDX, CIFAR-10 binary, image folders, CSV, JSONL, text).")
    static final class Import implements Runnable {
        @Parameters(index = "0", description = "Data-set name, e.g. fashion-mnist. Known local sources need no --path: "
                + "fashion-mnist, fortunes-zh.")
        String name;
        @Option(names = "--path", description = "File or directory to import.") Path path;
        @Option(names = "--format", description = "idx, cifar10, images, csv, jsonl or text (default: detected).") String format;
        @Option(names = "--label", description = "Label column (CSV/JSONL).") String label;
        @Option(names = "--categorical", split = ",", description = "Columns to one-hot encode.") List<String> categorical;
        @Option(names = "--task", description = "classification or regression (default: from the label column).") String task;
        @Option(names = "--missing", defaultValue = "drop", description = "Missing cells: drop (the row), mean or zero.") String missing;
        @Option(names = "--seed", defaultValue = "42", description = "Seed of the split.") long seed;
        @Option(names = "--validation-fraction", defaultValue = "0.1") double validationFraction;
        @Option(names = "--test-fraction", defaultValue = "0.1", description = "Used when the source has no test split.") double testFraction;
        @Option(names = "--normalize", description = "scale, standardize or none (default: scale images, standardize tables).") String normalize;
        @Option(names = "--width") Integer width;
        @Option(names = "--height") Integer height;
        @Option(names = "--channels", description = "1 or 3; grey images are repeated to 3 channels.") Integer channels;
        @Option(names = "--pad", defaultValue = "0", description = "Zero border added to IDX images (28x28 -> 32x32 with 2).") int pad;
        @Option(names = "--classes", split = ",", description = "Class names in label order.") List<String> classes;
        @Option(names = "--separator", defaultValue = "%", description = "Text: the line that separates entries.") String separator;
        @Option(names = "--redact-pii", description = "Text: replace e-mail addresses, phone numbers, Chinese resident "
                + "ID numbers, bank card numbers and IP addresses with placeholders before storing.") boolean redactPii;
        @Option(names = "--json", description = "Print the manifest as JSON on the last line.") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            DatasetStore store = new DatasetStore(Main.home().datasets());
            ImportOptions.MissingPolicy policy;
            try {
                policy = ImportOptions.MissingPolicy.valueOf(missing.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserException("invalid_option", "--missing '" + missing + "' must be drop, mean or zero");
            }
            Task parsedTask = task == null ? null : Task.parse(task, "--task", ImportOptions.TABLE_TASKS, "invalid_option");
            Path source = path;
            String fmt = format;
            List<String> names = classes;
            if (source == null) {
                KnownSources.Source known = KnownSources.find(name).orElseThrow(() -> new UserException("missing_path",
                        "give the data's location with --path (only fashion-mnist, fashion-mnist-32 and fortunes-zh are known without one)"));
                source = known.path();
                fmt = fmt == null ? known.format() : fmt;
                names = names == null || names.isEmpty() ? known.classes() : names;
                pad = pad == 0 ? known.pad() : pad;
                if (channels == null && known.channels() > 1) {
                    channels = known.channels();
                }
            }
            if (normalize != null && !List.of("scale", "standardize", "none").contains(normalize)) {
                throw new UserException("invalid_option", "--normalize '" + normalize + "' must be scale, standardize or none");
            }
            DatasetManifest m = store.importFrom(new ImportOptions(name, source, fmt, label, categorical, parsedTask, policy, seed,
                    validationFraction, testFraction, normalize, width, height, channels, pad, names, separator, redactPii));
            print(out, m);
            out.result(m);
        }
    }

    static void print(Output out, DatasetManifest m) {
        out.line("%s  %s  %s  %s", m.ref(), m.kind(), m.task(), m.sampleShape());
        out.line("  splits: %s", m.splits());
        var c = m.cleaning();
        out.line("  read %d, kept %d, duplicates removed %d, unreadable skipped %d, missing values %d (%s, %d rows dropped)",
                c.read(), c.kept(), c.duplicatesRemoved(), c.unreadableSkipped(), c.missingValues(), c.missingPolicy(),
                c.rowsDroppedForMissing());
        if (c.trainTestOverlap() > 0) {
            out.line("  warning: %d test samples also appear in train", c.trainTestOverlap());
        }
        if (c.piiRedacted() != null) {
            out.line("  redacted PII: %s", RedactionTally.describe(c.piiRedacted()));
        }
        c.skippedExamples().forEach(s -> out.line("  skipped: %s", s));
        if (!m.classes().isEmpty()) {
            Map<String, Integer> train = c.labelDistribution().get("train");
            out.line("  classes (%d): %s", m.classes().size(), train != null ? train : m.classes());
        }
    }

    @Command(name = "image", mixinStandardHelpOptions = true,
            description = "Write one image of a data set as PNG, e.g. to try 'moxing predict' on a real input.")
    static final class ExportImage implements Runnable {
        @Parameters(index = "0", description = "NAME or NAME:VERSION") String ref;
        @Option(names = "--split", defaultValue = "test") String split;
        @Option(names = "--index", defaultValue = "0") int index;
        @Option(names = {"-o", "--output"}, required = true, description = "PNG file to write.") Path output;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            var dataset = new DatasetStore(Main.home().datasets()).resolveOrImportKnown(ref);
            var picture = dataset.image(split, index);
            io.moxing.chart.Charts.writePng(picture.image(), output);
            String label = picture.label();
            out.line("wrote %s: %s image %d, label %s", output, split, index, label);
            out.result(Map.of("file", output.toAbsolutePath().toString(), "label", label));
        }
    }

    @Command(name = "subset", mixinStandardHelpOptions = true,
            description = "Make a data set of some classes of another, e.g. to hold classes out for transfer learning.")
    static final class Subset implements Runnable {
        @Parameters(index = "0", description = "Name of the new data set.") String name;
        @Option(names = "--from", required = true, description = "Source NAME or NAME:VERSION.") String from;
        @Option(names = "--classes", required = true, split = ",", description = "Classes to keep, in label order.")
        List<String> classes;
        @Option(names = "--train-limit", description = "At most N training samples, drawn by seed.") Integer trainLimit;
        @Option(names = "--seed", defaultValue = "42") long seed;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            DatasetStore store = new DatasetStore(Main.home().datasets());
            store.resolveOrImportKnown(from);
            DatasetManifest m = store.subset(name, from, classes, trainLimit, seed);
            print(out, m);
            out.result(m);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List data-set versions.")
    static final class ListSets implements Runnable {
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            List<DatasetManifest> all = new DatasetStore(Main.home().datasets()).list();
            if (all.isEmpty()) out.line("no data sets yet; import one with: moxing data import fashion-mnist");
            for (DatasetManifest m : all) {
                out.line("%-32s %-6s %-15s %s %s", m.ref(), m.kind(), m.task(), m.splits(), m.createdAt());
            }
            out.result(Map.of("datasets", all.stream().map(m -> Map.of("name", m.name(), "version", m.version(),
                    "kind", m.kind(), "splits", m.splits())).toList()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a data set's manifest and cleaning report.")
    static final class Show implements Runnable {
        @Parameters(index = "0", description = "NAME or NAME:VERSION") String ref;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            DatasetManifest m = new DatasetStore(Main.home().datasets()).resolve(ref).manifest();
            print(out, m);
            out.result(m);
        }
    }
}
