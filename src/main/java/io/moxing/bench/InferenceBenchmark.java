package io.moxing.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.data.DatasetStore;
import io.moxing.data.SplitData;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Provenance;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code moxing bench infer}: batch-1 latency and batch-64 throughput of several versions (an original and its
 * compressed versions), all loaded in this process and measured in alternating rounds, each round timing every
 * version in turn, so that the machine's speed swings (2-3x on a shared VM) fall on all of them alike. A version's
 * speed-up is the median of its per-round throughput ratios to the first version, never a ratio of figures taken
 * at different moments. Inputs are real test images of the first version's data set.
 */
public final class InferenceBenchmark {
    /** Batch-1 predictions timed per version per round. */
    public static final int SINGLE_CALLS = 200;
    /** The fewest batches of 64 timed per version per round; more when that would take under {@link #ROUND_SECONDS}. */
    public static final int BATCHES = 20;
    /**
     * The first version's batch-64 part of a round lasts about this long (the others time the same batches, so a slower
     * one takes longer):
     * 20 batches of a small model take ~50 ms, shorter than the pauses and swings of a shared machine, and gave
     * per-round rates of one model from 19,000 to 38,000 images/s in one run.
     */
    static final double ROUND_SECONDS = 0.5;
    /** Warm-up per version: the JIT and the engine's per-shape kernels settle within this. */
    static final double WARM_UP_SECONDS = 2.0;
    static final int BATCH = 64;

    private final MoxingHome home;
    private final PrintStream log;

    public InferenceBenchmark(MoxingHome home, PrintStream log) {
        this.home = home;
        this.log = log;
    }

    /** One version's figures over all rounds. {@code speedup64} is against the first version (1 for itself). */
    public record VersionResult(String model, @JsonProperty("weights_bytes") long weightsBytes, long parameters,
                                @JsonProperty("p50_ms") double p50Millis, @JsonProperty("p99_ms") double p99Millis,
                                @JsonProperty("throughput_64") double throughput64,
                                @JsonProperty("throughput_64_per_round") List<Double> throughput64PerRound,
                                @JsonProperty("speedup_64") double speedup64) {}

    /** The JSON of {@code moxing bench infer --json}; {@code speedup_64} is the second version's against the first. */
    public record Result(int rounds, @JsonProperty("intra_op_threads") int intraOpThreads,
                         @JsonProperty("batches_per_round") int batchesPerRound, List<VersionResult> versions,
                         @JsonProperty("speedup_64") Double speedup64) {}

    public Result run(List<String> refs, int rounds) {
        if (refs.isEmpty() || rounds < 1) {
            throw new UserException("invalid_option", "give at least one MODEL:VERSION and --rounds of 1 or more");
        }
        ModelRegistry registry = new ModelRegistry(home.models());
        List<Path> dirs = refs.stream().map(registry::resolve).toList();
        List<LoadedModel> models = new ArrayList<>();
        try {
            for (Path dir : dirs) models.add(LoadedModel.load(dir));
            long[] shape = models.get(0).sampleShape();
            for (LoadedModel m : models) {
                if (!Arrays.equals(shape, m.sampleShape())) {
                    throw new UserException("wrong_shape", m.card().ref() + " takes " + Arrays.toString(m.sampleShape())
                            + " but " + models.get(0).card().ref() + " takes " + Arrays.toString(shape)
                            + "; compare versions that take the same input");
                }
            }
            SplitData images = images(dirs.get(0), models.get(0).card());
            int n = models.size();
            List<List<Double>> singles = new ArrayList<>();
            List<List<Double>> rates = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                singles.add(new ArrayList<>());
                rates.add(new ArrayList<>());
                warmUp(models.get(k), images);
            }
            int batches = batchesPerRound(models.get(0), images);
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder("round " + (r + 1) + "/" + rounds + ":");
                for (int k = 0; k < n; k++) {
                    AlternatingRounds.settle();
                    singles.get(k).addAll(singleLatencies(models.get(k), images));
                    double rate = throughput(models.get(k), images, batches);
                    rates.get(k).add(rate);
                    line.append(String.format("  %s %,.0f img/s", refs.get(k), rate));
                }
                log.println(line);
            }
            List<VersionResult> out = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                List<Double> ratios = new ArrayList<>();
                for (int r = 0; r < rounds; r++) ratios.add(rates.get(k).get(r) / rates.get(0).get(r));
                LoadedModel m = models.get(k);
                out.add(new VersionResult(m.card().ref(), bytes(dirs.get(k)), m.card().parameters(),
                        percentile(singles.get(k), 0.50), percentile(singles.get(k), 0.99),
                        TrainBenchmark.median(rates.get(k)), List.copyOf(rates.get(k)), TrainBenchmark.median(ratios)));
            }
            return new Result(rounds, ai.djl.pytorch.jni.JniUtils.getNumThreads(), batches, out,
                    n > 1 ? out.get(1).speedup64() : null);
        } finally {
            models.forEach(LoadedModel::close);
        }
    }

    /** The test split (else validation) of the data set the first version was trained on. */
    private SplitData images(Path dir, ModelVersion card) {
        Provenance p = Json.read(dir.resolve("provenance.json"), Provenance.class);
        if (p.dataset() == null || "inline".equals(p.dataset().name())) {
            throw new UserException("missing_data", card.ref() + " has no stored data set to take inputs from");
        }
        var dataset = new DatasetStore(home.datasets()).resolve(p.dataset().name() + ":" + p.dataset().version());
        SplitData split = dataset.load(dataset.hasSplit("test") ? "test" : "validation");
        return split.head(Math.min(split.count(), BATCH * BATCHES));
    }

    private static void warmUp(LoadedModel model, SplitData images) {
        long end = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        for (int i = 0; System.nanoTime() < end; i++) {
            model.predict(sample(images, i % images.count()), 1);
            throughput(model, images, 4);
        }
    }

    /** Batches that make the first version's part of a round last about {@link #ROUND_SECONDS}. */
    private static int batchesPerRound(LoadedModel first, SplitData images) {
        double rate = throughput(first, images, BATCHES);
        return Math.max(BATCHES, (int) Math.ceil(ROUND_SECONDS * rate / BATCH));
    }

    private static List<Double> singleLatencies(LoadedModel model, SplitData images) {
        List<Double> millis = new ArrayList<>(SINGLE_CALLS);
        for (int i = 0; i < SINGLE_CALLS; i++) {
            float[] x = sample(images, i % images.count());
            long t = System.nanoTime();
            model.predict(x, 1);
            millis.add((System.nanoTime() - t) / 1e6);
        }
        return millis;
    }

    private static double throughput(LoadedModel model, SplitData images, int count) {
        int batches = Math.max(1, images.count() / BATCH);
        int size = images.sampleSize() * BATCH;
        long t = System.nanoTime();
        for (int b = 0; b < count; b++) {
            int from = (b % batches) * size;
            model.predict(Arrays.copyOfRange(images.features(), from, from + size), BATCH);
        }
        return count * (double) BATCH / ((System.nanoTime() - t) / 1e9);
    }

    private static float[] sample(SplitData images, int i) {
        int size = images.sampleSize();
        return Arrays.copyOfRange(images.features(), i * size, (i + 1) * size);
    }

    static double percentile(List<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static long bytes(Path dir) {
        try {
            return Files.size(ModelVersion.weightsFile(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
