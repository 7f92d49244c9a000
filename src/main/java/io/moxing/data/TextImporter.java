package io.moxing.data;

import io.moxing.core.Task;
import io.moxing.core.UserException;
import io.moxing.privacy.PiiRedactor;
import io.moxing.privacy.Redacted;
import io.moxing.privacy.RedactionTally;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * UTF-8 text corpora: a file, or every regular file of a directory (fortune {@code .dat} indexes and
 * symbolic links skipped). Entries are separated by a line holding only the separator (fortune's
 * {@code %}); ANSI colour codes, including broken and nested ones, are stripped until none remain.
 * With {@code --redact-pii} each entry's personal data is replaced after the codes are gone (a code
 * inside an e-mail address would hide it) and before deduplication (entries that differ only in
 * personal data become one).
 */
final class TextImporter {
    private static final Pattern ANSI = Pattern.compile(
            "\u001B\\[[0-9;]*[A-Za-z]|\\\\(?:x1[bB]|033|e)\\[[0-9;]*[A-Za-z]|x1[bB]\\[[0-9;]*m|\\[[0-9;]*m");

    private TextImporter() {}

    static RawDataset read(ImportOptions options) {
        Path path = options.path();
        RawDataset raw = new RawDataset("text", path.toString(), List.of(), Task.LANGUAGE_MODELING, List.of(), List.of());
        List<String> entries = raw.textPartition(RawDataset.ALL);
        PiiRedactor redactor = options.redactPii() ? new PiiRedactor() : null;
        if (redactor != null) {
            raw.piiRedacted = new RedactionTally();
        }
        for (Path file : files(path)) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException e) {
                raw.countRead();
                raw.skip(file + ": not UTF-8 text");
                continue;
            } catch (IOException e) {
                raw.countRead();
                raw.skip(file + ": cannot read (" + e.getMessage() + ")");
                continue;
            }
            for (String entry : split(text, options.textSeparator())) {
                raw.countRead();
                String clean = stripAnsi(entry).strip();
                if (redactor != null) {
                    Redacted redacted = redactor.redact(clean);
                    raw.piiRedacted.add(redacted);
                    clean = redacted.text();
                }
                if (!clean.isEmpty()) {
                    entries.add(clean);
                }
            }
        }
        return raw;
    }

    /** Removes ANSI colour codes until none remain (removing one can expose another). */
    static String stripAnsi(String text) {
        String previous;
        do {
            previous = text;
            text = ANSI.matcher(text).replaceAll("");
        } while (!text.equals(previous));
        return text;
    }

    static List<String> split(String text, String separator) {
        String normalised = text.replace("\r\n", "\n");
        return List.of(normalised.split("(?m)^" + Pattern.quote(separator) + "[ \\t]*$"));
    }

    private static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new UserException("missing_path", path + ": no such file or directory; check --path");
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().endsWith(".dat"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UserException("unreadable_file", path + ": cannot list (" + e.getMessage() + ")", e);
        }
    }
}
