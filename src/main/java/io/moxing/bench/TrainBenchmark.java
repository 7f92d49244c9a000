package io.moxing.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.moxing.core.DeepLearning;
import io.moxing.core.MoxingHome;
import io.moxing.data.DatasetStore;
import io.moxing.data.Permutations;
import io.moxing.data.SplitData;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import io.moxing.model.Templates;
import io.moxing.predict.Inference;
import io.moxing.train.LearningRateSchedule;
import io.moxing.train.Losses;
import io.moxing.train.Optimizers;
import io.moxing.train.TensorData;
import io.moxing.train.Targets;
import io.moxing.train.TrainingInputs;
import io.moxing.train.TrainingLoop;
import io.moxing.core.UserException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code moxing bench train}: training and inference throughput of a recipe on its real data, how
 * close it runs to the machine's measured matrix-product peak (model FLOPs utilisation, as nanoGPT's
 * estimate_mfu), and the ratio to the same recipe in PyTorch from Python measured in alternating
 * chunks in the same run.
 */
public final class TrainBenchmark {
    private final MoxingHome home;
    private final PrintStream log;

    public TrainBenchmark(MoxingHome home, PrintStream log) {
        this.home = home;
        this.log = log;
    }

    /** The benchmark's numbers; the JSON of {@code moxing bench train --json}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String recipe, int batchSize, int rounds, int stepsPerRound,
                         double trainSamplesPerSecond, double trainSamplesPerSecondBest, double epochSeconds,
                         double inferenceBatch1PerSecond, double inferenceBatch256PerSecond,
                         double matmulGflops, double modelGflopsPerSample, double mfu,
                         long peakRssBytes, String pytorchVersion, Double pytorchSamplesPerSecond,
                         Double pytorchInferenceBatch256PerSecond, Double ratioToPytorch,
                         @JsonProperty("ratio_inference_256") Double ratioInference256,
                         @JsonUnwrapped Fairness fairness) {}

    /** The recipes bench/torch_train.py knows; others are measured without a baseline. */
    private static final List<String> BASELINE_RECIPES = List.of("cnn-28", "lenet-cifar");

    /** Alternating rounds of batched inference, each side over the test split once. */
    private static final int INFERENCE_ROUNDS = 3;

    public Result run(String recipe, String data, int rounds, int steps, Path baselineScript) throws IOException {
        ModelSpec spec = Templates.resolve(recipe);
        if (spec.isLanguageModel()) {
            throw new UserException("invalid_option", spec.name() + " is a language model; measure it with moxing bench lm "
                    + spec.name());
        }
        if (spec.data() != null && data == null) {
            throw new UserException("invalid_option", spec.name() + " trains on a few rows written into its spec;"
                    + " a throughput benchmark needs a data set: give one with --data");
        }
        // the same checks and the same data as `moxing train` would use
        DatasetStore store = new DatasetStore(home.datasets());
        TrainingInputs inputs = TrainingInputs.resolve(spec, data, null, store, null);
        CompiledModel compiled = SpecCompiler.compile(spec);
        inputs.check(compiled, store);
        SplitData trainSplit = inputs.train();
        SplitData testSplit = inputs.evaluationSplit() != null ? inputs.evaluationSplit() : trainSplit;
        int batch = Math.max(1, spec.training().batchSize());
        boolean hasBaseline = BASELINE_RECIPES.contains(spec.name());
        String trainCommand = "train " + steps;
        try (NDManager manager = DeepLearning.engine().newBaseManager();
             PythonBaseline python = hasBaseline ? PythonBaseline.start(baselineScript, log, spec.name()) : null) {
            DeepLearning.seed(spec.training().seed());
            compiled.initialize(manager);
            TrainingLoop loop = new TrainingLoop(compiled.block(), manager, Losses.of(spec.loss()),
                    Optimizers.create(spec.optimizer()), spec.training(),
                    new LearningRateSchedule(spec.optimizer().learningRate(), spec.training()), Targets.of(spec), List.of());
            TensorData train = TensorData.of(manager, trainSplit, Targets.of(spec));
            Map<String, Parameter> trainable = loop.trainableParameters();
            int[] order = Permutations.of(train.count(), 1);
            int[] cursor = {0};
            AlternatingRounds.Chunk chunk = () -> {
                long t = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    long[] idx = new long[batch];
                    for (int i = 0; i < batch; i++) idx[i] = order[(cursor[0] + i) % order.length];
                    cursor[0] += batch;
                    loop.trainBatch(train, idx, spec.optimizer().learningRate(), trainable);
                }
                return steps * (double) batch / ((System.nanoTime() - t) / 1e9);
            };
            log.println("warming up...");
            chunk.run();
            if (python != null) python.ask(trainCommand, "samples_per_second");
            Contamination meter = new Contamination();
            AlternatingRounds.Outcome training = AlternatingRounds.run(rounds, chunk, python,
                    () -> python.ask(trainCommand, "samples_per_second"),
                    () -> PythonBaseline.standalone(baselineScript, log, trainCommand, "samples_per_second", spec.name()),
                    meter, log, "training", "samples/s");
            double trainRate = median(training.ours());
            Inference inference = new Inference(compiled.block(), compiled.head(), manager);
            double batch1 = inferenceRate(inference, testSplit, 1, 2000);
            List<Double> ours256 = new ArrayList<>();
            List<Double> theirs256 = new ArrayList<>();
            for (int r = 0; r < INFERENCE_ROUNDS; r++) {
                ours256.add(inferenceRate(inference, testSplit, 256, testSplit.count()));
                if (python != null) theirs256.add(python.ask("infer 256 10000", "samples_per_second"));
            }
            double batch256 = median(ours256);
            Double pyInfer = python == null ? null : median(theirs256);
            double peak = matmulPeak(manager);
            double flopsPerSample = 3.0 * compiled.forwardFlops();
            double mfu = flopsPerSample * trainRate / (peak * 1e9);
            Double pyRate = python == null ? null : median(training.theirs());
            train.close();
            return new Result(spec.name(), batch, rounds, steps, trainRate, Collections.max(training.ours()),
                    trainSplit.count() / trainRate, batch1, batch256, peak, flopsPerSample / 1e9, mfu, peakRss(),
                    python == null ? null : python.version(), pyRate, pyInfer, pyRate == null ? null : trainRate / pyRate,
                    pyInfer == null ? null : batch256 / pyInfer, Fairness.of(training, meter, python != null));
        }
    }

    private static double inferenceRate(Inference inference, SplitData data, int batch, int samples) {
        int n = Math.min(samples, data.count());
        SplitData head = data.head(n);
        inference.run(head.features(), head.sampleShape(), Math.min(n, 512), batch);
        long t = System.nanoTime();
        inference.run(head.features(), head.sampleShape(), n, batch);
        return n / ((System.nanoTime() - t) / 1e9);
    }

    /** The best GFLOP/s of a 2048x2048 float matrix product: the machine's practical peak for this engine. */
    static double matmulPeak(NDManager manager) {
        int n = 2048;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray a = scratch.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = scratch.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).close();
            double best = 0;
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                a.matMul(b).close();
                best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - t) / 1e9) / 1e9);
            }
            return best;
        }
    }

    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: peak memory unknown
        }
        return -1;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
