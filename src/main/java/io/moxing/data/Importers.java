package io.moxing.data;

import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Chooses the importer for a source: the format named with {@code --format}, or one recognised from the path. */
final class Importers {
    private Importers() {}

    static RawDataset read(ImportOptions options) {
        Path path = options.path();
        if (path == null || !Files.exists(path)) {
            throw new UserException("missing_path", (path == null ? "--path" : path.toString())
                    + ": no such file or directory; give the data's location with --path");
        }
        String format = options.format() != null ? options.format() : detect(path);
        if (options.redactPii() && !"text".equals(format)) {
            throw new UserException("invalid_option", "--redact-pii works on text corpora only, and " + path + " is "
                    + (options.format() != null ? "--format " : "detected as ") + format
                    + "; import it without --redact-pii, or as --format text");
        }
        return switch (format) {
            case "idx" -> IdxImporter.read(options);
            case "cifar10" -> Cifar10Importer.read(options);
            case "images" -> ImageFolderImporter.read(options);
            case "csv" -> TableImporter.read(options, false);
            case "jsonl" -> TableImporter.read(options, true);
            case "text" -> TextImporter.read(options);
            default -> throw new UserException("unknown_format", "--format '" + format
                    + "' is not one of idx, cifar10, images, csv, jsonl, text");
        };
    }

    static String detect(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(path)) {
            if (name.endsWith(".csv")) return "csv";
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
            return "text";
        }
        if (IdxImporter.recognises(path)) return "idx";
        if (Cifar10Importer.recognises(path)) return "cifar10";
        if (ImageFolderImporter.recognises(path)) return "images";
        return "text";
    }
}
