package io.moxing.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.billing.UsageLedger;
import io.moxing.billing.UsageRecord;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.train.EpochMetrics;
import io.moxing.train.RunDirectory;
import io.moxing.train.RunRecord;
import io.moxing.train.TrainResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The state the operator's pages are tested on, made in a data directory of the test's own: the shared cnn-28 run and
 * version copied in, a second version "fine-tuned" from it with other numbers (so two versions differ), a run still
 * training whose epochs the test writes one by one, and usage records written through the ledger.
 */
final class OperatorState {
    private OperatorState() {}

    /** Copies the trained run and version from {@code from} into {@code home}; returns the second version's ref. */
    static String copyWithSecondVersion(MoxingHome from, MoxingHome home, TrainResult cnn) throws IOException {
        copy(from.runs().resolve(cnn.runId()), home.runs().resolve(cnn.runId()));
        Path first = from.models().resolve(cnn.model()).resolve(Integer.toString(cnn.version()));
        copy(first, home.models().resolve(cnn.model()).resolve(Integer.toString(cnn.version())));
        int version = cnn.version() + 1;
        Path second = home.models().resolve(cnn.model()).resolve(Integer.toString(version));
        copy(first, second);
        ObjectNode card = (ObjectNode) Json.MAPPER.readTree(second.resolve("model.json").toFile());
        card.put("version", version);
        card.put("created_at", java.time.Instant.now().toString());
        ObjectNode metrics = (ObjectNode) card.get("metrics");
        metrics.put("test_accuracy", metrics.get("test_accuracy").asDouble() + 0.05);
        Files.writeString(second.resolve("model.json"), Json.pretty(card));
        ObjectNode eval = (ObjectNode) Json.MAPPER.readTree(second.resolve("eval.json").toFile());
        eval.withArray("per_class").forEach(c -> ((ObjectNode) c).put("f1", Math.min(1, c.get("f1").asDouble() + 0.1)));
        ((ObjectNode) eval.withArray("per_class").get(0)).put("f1", 0.0);
        Files.writeString(second.resolve("eval.json"), Json.pretty(eval));
        ObjectNode provenance = (ObjectNode) Json.MAPPER.readTree(second.resolve("provenance.json").toFile());
        provenance.with("spec").withArray("layers").forEach(l -> ((ObjectNode) l).put("pretrained", cnn.model() + ":" + cnn.version()));
        Files.writeString(second.resolve("provenance.json"), Json.pretty(provenance));
        return cnn.model() + ":" + version;
    }

    /** A run of cnn-28 still training: its record says running, with {@code planned} epochs and none done. */
    static RunDirectory trainingRun(MoxingHome home, TrainResult cnn, int planned) {
        RunRecord done = new RunDirectory(home.runs().resolve(cnn.runId())).read();
        RunDirectory run = new RunDirectory(home.runs().resolve(cnn.runId() + "-live"));
        run.write(new RunRecord(done.formatVersion(), cnn.runId() + "-live", done.model(), done.dataset(), "running", planned, 0,
                null, null, java.time.Instant.now().toString(), java.time.Instant.now().toString(), 0, done.machine(), null));
        run.writeMetrics(List.of());
        return run;
    }

    /** Ends epoch {@code n} of the training run: a line more in its metrics, a record that says so. */
    static void endEpoch(RunDirectory run, List<EpochMetrics> history, int n, boolean last) {
        history.add(new EpochMetrics(n, 0.9 / n, 0.6 + 0.08 * n, 0.95 / n, 0.58 + 0.08 * n, 1e-3, 10, 200, null));
        run.writeMetrics(history);
        RunRecord r = run.read();
        run.write(r.progress(last ? "completed" : "running", n, 10.0 * n, null));
    }

    /**
     * {@code count} charged requests over the {@code days} days up to now, spread over two tenants and five models and
     * a few batch sizes, appended through the ledger in the meter's batches.
     */
    static void usage(UsageLedger ledger, int count, int days, List<String> tenants) {
        Random random = new Random(42);
        long now = System.currentTimeMillis();
        List<UsageRecord> batch = new ArrayList<>();
        int[] sizes = {1, 2, 16, 64};
        for (int i = 0; i < count; i++) {
            long at = now - (long) (random.nextDouble() * days * 86_400_000L);
            String tenant = tenants.get(i % tenants.size());
            batch.add(new UsageRecord("req-" + i, tenant, "key-" + tenant, "pro", "model-" + (i % 5), 1, 1, 0, 0,
                    200 + random.nextInt(800), sizes[i % sizes.length], 200, true, at, null));
            if (batch.size() == 500) {
                ledger.append(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) ledger.append(batch);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
