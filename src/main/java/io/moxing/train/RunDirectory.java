package io.moxing.train;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files of one run under {@code runs/<id>/}. */
public record RunDirectory(Path path) {

    public static RunDirectory existing(Path runsRoot, String id) {
        Path dir = runsRoot.resolve(id);
        if (id.isBlank() || id.contains("/") || !Files.isRegularFile(dir.resolve("run.json"))) {
            throw new UserException("unknown_run", "no run '" + id + "' under " + runsRoot + "; see 'moxing runs list'");
        }
        return new RunDirectory(dir);
    }

    /** The records of every run under {@code runsRoot}, in the order of their ids (oldest first: ids start with the time). */
    public static List<RunRecord> list(Path runsRoot) {
        return ids(runsRoot).stream().map(id -> new RunDirectory(runsRoot.resolve(id)).read()).toList();
    }

    /** The ids of every run under {@code runsRoot}, oldest first, without reading their records (for paging). */
    public static List<String> ids(Path runsRoot) {
        if (!Files.isDirectory(runsRoot)) return List.of();
        try (Stream<Path> s = Files.list(runsRoot)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("run.json"))).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path record() {
        return path.resolve("run.json");
    }

    public Path spec() {
        return path.resolve("spec.json");
    }

    /** A language model's tokenizer, fitted when the run started and reused when it resumes. */
    public Path tokenizer() {
        return path.resolve("tokenizer.json");
    }

    public Path metrics() {
        return path.resolve("metrics.jsonl");
    }

    public Path checkpoints() {
        return path.resolve("checkpoints");
    }

    public Path curves() {
        return path.resolve("curves.png");
    }

    public Path report() {
        return path.resolve("report.html");
    }

    public RunRecord read() {
        return Json.read(record(), RunRecord.class);
    }

    public void write(RunRecord record) {
        AtomicFiles.writeJson(record(), record);
    }

    /** The metrics log, rewritten whole (it is small) so that it always matches the latest checkpoint. */
    public void writeMetrics(List<EpochMetrics> history) {
        StringBuilder b = new StringBuilder();
        history.forEach(m -> b.append(Json.line(m)).append('\n'));
        AtomicFiles.writeString(metrics(), b.toString());
    }

    /** The epochs completed so far, oldest first (none before the first ends); read while the run trains. */
    public List<EpochMetrics> readMetrics() {
        if (!Files.isRegularFile(metrics())) return List.of();
        try (Stream<String> lines = Files.lines(metrics())) {
            // the file is replaced atomically, so it is never seen half-written
            return lines.filter(l -> !l.isBlank()).map(l -> Json.parse(l, EpochMetrics.class)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checkpoint directories, oldest first. */
    public List<Path> checkpointDirs() {
        if (!Files.isDirectory(checkpoints())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpoints())) {
            return s.filter(p -> p.getFileName().toString().startsWith("epoch-"))
                    .filter(p -> Files.isRegularFile(p.resolve("state.json"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
