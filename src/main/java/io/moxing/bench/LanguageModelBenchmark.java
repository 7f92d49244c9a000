package io.moxing.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.moxing.core.DeepLearning;
import io.moxing.core.MoxingHome;
import io.moxing.data.DatasetStore;
import io.moxing.generate.Sampler;
import io.moxing.generate.TextGenerator;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import io.moxing.model.Templates;
import io.moxing.train.LearningRateSchedule;
import io.moxing.train.Losses;
import io.moxing.train.Optimizers;
import io.moxing.train.Targets;
import io.moxing.train.TensorData;
import io.moxing.train.TrainingInputs;
import io.moxing.train.TrainingLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Speed of a Transformer language model recipe: training tokens/s and greedy generation tokens/s
 * with the key/value cache and by re-running the window, against the same model in PyTorch from
 * Python, alternating timed rounds in one run. Also checks that both generation modes write the
 * same tokens.
 */
public final class LanguageModelBenchmark {
    private final MoxingHome home;
    private final PrintStream log;

    public LanguageModelBenchmark(MoxingHome home, PrintStream log) {
        this.home = home;
        this.log = log;
    }

    public record Result(
            String recipe, int vocabulary, int context, @JsonProperty("batch_size") int batchSize, int rounds,
            @JsonProperty("train_tokens_per_second") double trainTokensPerSecond,
            @JsonProperty("generated_tokens") int generatedTokens,
            @JsonProperty("cache_tokens_per_second") double cacheTokensPerSecond,
            @JsonProperty("full_tokens_per_second") double fullTokensPerSecond,
            @JsonProperty("cache_speedup") double cacheSpeedup,
            @JsonProperty("greedy_tokens_equal") boolean greedyTokensEqual,
            @JsonProperty("pytorch_version") String pytorchVersion,
            @JsonProperty("pytorch_train_tokens_per_second") Double pytorchTrainTokensPerSecond,
            @JsonProperty("pytorch_cache_tokens_per_second") Double pytorchCacheTokensPerSecond,
            @JsonProperty("pytorch_full_tokens_per_second") Double pytorchFullTokensPerSecond,
            @JsonProperty("ratio_train") Double ratioTrain,
            @JsonProperty("ratio_cache_generation") Double ratioCacheGeneration,
            @JsonUnwrapped Fairness fairness) {}

    public Result run(String recipe, String data, Integer contextOverride, int rounds, int steps, int tokens,
                      Path baselineScript) throws IOException {
        ModelSpec base = Templates.resolve(recipe);
        TrainingInputs inputs = TrainingInputs.resolve(base, data, null, new DatasetStore(home.datasets()), null);
        ModelSpec fitted = base.withVocabulary(inputs.tokens().tokenizer().vocabularySize());
        ModelSpec spec = contextOverride == null ? fitted : fitted.withInput(List.of(contextOverride));
        CompiledModel compiled = SpecCompiler.compile(spec);
        int context = spec.input().get(0);
        // the recipe's tokens per step at any context (batch 8 x 256 = 32 x 64)
        int batch = Math.max(1, spec.training().batchSize() * base.input().get(0) / context);
        int vocabulary = spec.text().vocabulary();
        try (NDManager manager = DeepLearning.engine().newBaseManager();
             PythonBaseline python = PythonBaseline.start(baselineScript, log, Integer.toString(vocabulary),
                     Integer.toString(context), Integer.toString(batch))) {
            DeepLearning.seed(spec.training().seed());
            compiled.initialize(manager);
            TrainingLoop loop = new TrainingLoop(compiled.block(), manager, Losses.of(spec.loss()),
                    Optimizers.create(spec.optimizer()), spec.training(),
                    new LearningRateSchedule(spec.optimizer().learningRate(), spec.training()), Targets.of(spec), List.of());
            Map<String, Parameter> trainable = loop.trainableParameters();
            SplittableRandom random = new SplittableRandom(1);
            String[] shape = {Integer.toString(vocabulary), Integer.toString(context), Integer.toString(batch)};
            String trainCommand = "train " + steps;
            Contamination meter = new Contamination();
            AlternatingRounds.Outcome training;
            try (TensorData train = TensorData.windows(manager, inputs.tokens().train(), context)) {
                AlternatingRounds.Chunk chunk = () -> {
                    long t = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        long[] idx = random.longs(batch, 0, train.count()).toArray();
                        loop.trainBatch(train, idx, spec.optimizer().learningRate(), trainable);
                    }
                    return steps * (double) batch * context / ((System.nanoTime() - t) / 1e9);
                };
                log.println("warming up...");
                chunk.run();
                if (python != null) python.ask(trainCommand, "tokens_per_second");
                training = AlternatingRounds.run(rounds, chunk, python,
                        () -> python.ask(trainCommand, "tokens_per_second"),
                        () -> PythonBaseline.standalone(baselineScript, log, trainCommand, "tokens_per_second", shape),
                        meter, log, "training", "tokens/s");
            }
            TextGenerator generator = new TextGenerator(compiled, manager);
            int[] prompt = {1};
            int[] cached = generator.generate(prompt, tokens, Sampler.greedy(), true, t -> { });
            int[] full = generator.generate(prompt, tokens, Sampler.greedy(), false, t -> { });
            List<Double> cacheRates = new ArrayList<>();
            List<Double> fullRates = new ArrayList<>();
            List<Double> pyCache = new ArrayList<>();
            List<Double> pyFull = new ArrayList<>();
            if (python != null) {
                // the same warm-up as ours above: one pass of each mode before the timed rounds
                python.ask("generate " + tokens + " cache", "tokens_per_second");
                python.ask("generate " + tokens + " full", "tokens_per_second");
            }
            for (int r = 0; r < rounds; r++) {
                AlternatingRounds.settle();
                cacheRates.add(rate(generator, prompt, tokens, true));
                if (python != null) {
                    AlternatingRounds.settle();
                    pyCache.add(python.ask("generate " + tokens + " cache", "tokens_per_second"));
                }
                AlternatingRounds.settle();
                fullRates.add(rate(generator, prompt, tokens, false));
                if (python != null) {
                    AlternatingRounds.settle();
                    pyFull.add(python.ask("generate " + tokens + " full", "tokens_per_second"));
                }
                log.printf("generation round %d/%d: moxing cache %,.0f / full %,.0f tokens/s%s%n", r + 1, rounds,
                        cacheRates.get(r), fullRates.get(r), python == null ? ""
                                : String.format("; pytorch cache %,.0f / full %,.0f", pyCache.get(r), pyFull.get(r)));
            }
            double train = TrainBenchmark.median(training.ours());
            double cache = TrainBenchmark.median(cacheRates);
            double fullRate = TrainBenchmark.median(fullRates);
            Double pyTrain = python == null ? null : TrainBenchmark.median(training.theirs());
            Double pyCacheRate = python == null ? null : TrainBenchmark.median(pyCache);
            return new Result(spec.name(), vocabulary, context, batch, rounds, train, tokens, cache, fullRate,
                    cache / fullRate, Arrays.equals(cached, full), python == null ? null : python.version(), pyTrain,
                    pyCacheRate, python == null ? null : TrainBenchmark.median(pyFull),
                    pyTrain == null ? null : train / pyTrain, pyCacheRate == null ? null : cache / pyCacheRate,
                    Fairness.of(training, meter, python != null));
        }
    }

    private static double rate(TextGenerator generator, int[] prompt, int tokens, boolean cache) {
        long t = System.nanoTime();
        generator.generate(prompt, tokens, Sampler.greedy(), cache, x -> { });
        return tokens / ((System.nanoTime() - t) / 1e9);
    }
}
