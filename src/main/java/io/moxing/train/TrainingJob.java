package io.moxing.train;

import ai.djl.ndarray.NDManager;
import io.moxing.core.AtomicFiles;
import io.moxing.core.BuildInfo;
import io.moxing.core.DeepLearning;
import io.moxing.core.Hashing;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.data.Augmenter;
import io.moxing.data.DatasetStore;
import io.moxing.data.SplitData;
import io.moxing.eval.EvalReport;
import io.moxing.eval.EvalResult;
import io.moxing.eval.Metrics;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import io.moxing.model.TestTimeAugmentation;
import io.moxing.predict.Inference;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.SearchProvenance;
import io.moxing.registry.Signature;
import io.moxing.text.Tokenizer;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run from start to registered model: resolves the data, compiles the spec, trains with
 * checkpoints, evaluates on the test split, draws the report and registers the model with its
 * provenance. {@link #resume} continues a run from its newest checkpoint.
 */
public final class TrainingJob {
    private final MoxingHome home;
    private final DatasetStore datasets;
    private final ModelRegistry registry;
    private final PrintStream progress;
    private final boolean interactive;
    private final RunObserver observer;

    public TrainingJob(MoxingHome home, PrintStream progress, boolean interactive) {
        this(home, progress, interactive, RunObserver.NONE);
    }

    /** A trainer whose runs {@code observer} watches (a background job: it remembers the run and may stop it). */
    public TrainingJob(MoxingHome home, PrintStream progress, boolean interactive, RunObserver observer) {
        this.home = home;
        this.observer = observer;
        this.datasets = new DatasetStore(home.datasets());
        this.registry = new ModelRegistry(home.models());
        this.progress = progress;
        this.interactive = interactive;
    }

    public TrainResult start(ModelSpec requested, TrainOptions options) {
        // the run records where an imported backbone is, wherever it is resumed from
        ModelSpec spec = requested.withImportedPaths(l -> java.nio.file.Path.of(l.fields().get("path").asText())
                .toAbsolutePath().normalize().toString());
        TrainingInputs inputs = TrainingInputs.resolve(spec, options.dataset(), options.trainLimit(), datasets, null);
        if (inputs.tokens() != null) {
            spec = spec.withVocabulary(inputs.tokens().tokenizer().vocabularySize());
        }
        CompiledModel compiled = SpecCompiler.compile(spec);
        inputs.check(compiled, datasets);
        String model = options.modelName() != null ? options.modelName() : spec.name();
        if (options.register()) {
            requireSameSignature(model, spec, inputs);
        }
        String id = newRunId(spec);
        RunDirectory run = new RunDirectory(home.runs().resolve(id));
        AtomicFiles.writeString(run.spec(), io.moxing.core.Json.pretty(spec.toJson()) + "\n");
        if (inputs.tokens() != null) {
            inputs.tokens().tokenizer().save(run.tokenizer());
        }
        RunRecord record = new RunRecord(RunRecord.FORMAT_VERSION, id, model, inputs.ref(), "running",
                spec.training().epochs(), 0, options.trainLimit(), null, Instant.now().toString(), Instant.now().toString(), 0,
                BuildInfo.current(), null);
        run.write(record);
        observer.onRunCreated(id);
        return execute(run, record, compiled, inputs, options.register(), false, Stage.WHOLE);
    }

    /**
     * What one call trains: up to which epoch, whether it evaluates on the final split and which search
     * chose the model it registers (null: none).
     */
    private record Stage(int untilEpoch, boolean evaluate, SearchProvenance search) {
        static final Stage WHOLE = new Stage(Integer.MAX_VALUE, true, null);
    }

    /**
     * Starts run {@code id} (from {@link #newRunId}: the caller records it before the run exists, so no crash
     * can leave a run it does not know of) on {@code inputs} as given (a search hands out its splits, with no test split) and
     * trains it up to epoch {@code untilEpoch} of the spec's, then leaves it "paused": no evaluation, no
     * registration. {@link #continueStage} lengthens it; {@link #finishStaged} ends it.
     */
    public TrainResult startStage(String id, ModelSpec spec, String model, TrainingInputs inputs, int untilEpoch) {
        CompiledModel compiled = SpecCompiler.compile(spec);
        inputs.check(compiled, datasets);
        RunDirectory run = new RunDirectory(home.runs().resolve(id));
        AtomicFiles.writeString(run.spec(), io.moxing.core.Json.pretty(spec.toJson()) + "\n");
        RunRecord record = new RunRecord(RunRecord.FORMAT_VERSION, id, model, inputs.ref(), "running",
                spec.training().epochs(), 0, inputs.train().count(),
                TrainingInputs.TRAINING_SPLIT.equals(inputs.train().name()) ? null : inputs.train().name(), Instant.now().toString(),
                Instant.now().toString(), 0,
                BuildInfo.current(), null);
        run.write(record);
        observer.onRunCreated(id);
        return execute(run, record, compiled, inputs, false, false, new Stage(untilEpoch, false, null));
    }

    /** Continues a staged run from its newest checkpoint (from scratch if it has none) up to {@code untilEpoch}. */
    public TrainResult continueStage(String runId, TrainingInputs inputs, int untilEpoch) {
        RunDirectory run = RunDirectory.existing(home.runs(), runId);
        CompiledModel compiled = SpecCompiler.compile(ModelSpec.read(run.spec()));
        return execute(run, run.read(), compiled, inputs, false, true, new Stage(untilEpoch, false, null));
    }

    /**
     * Trains a staged run up to epoch {@code untilEpoch} (at most the spec's last; a run already there trains no
     * further), evaluates it on {@code inputs}' test split and registers it with {@code search} in its provenance.
     */
    public TrainResult finishStaged(String runId, TrainingInputs inputs, SearchProvenance search, int untilEpoch) {
        RunDirectory run = RunDirectory.existing(home.runs(), runId);
        RunRecord record = run.read();
        ModelSpec spec = ModelSpec.read(run.spec());
        requireSameSignature(record.model(), spec, inputs);
        return execute(run, record, SpecCompiler.compile(spec), inputs, true, true, new Stage(untilEpoch, true, search));
    }

    public TrainResult resume(String runId) {
        RunDirectory run = RunDirectory.existing(home.runs(), runId);
        RunRecord record = run.read();
        if ("completed".equals(record.status())) {
            throw new UserException("run_completed", "run " + runId + " already completed all its epochs; nothing to resume");
        }
        ModelSpec spec = ModelSpec.read(run.spec());
        CompiledModel compiled = SpecCompiler.compile(spec);
        String ref = "inline".equals(record.dataset().name()) ? null
                : record.dataset().name() + ":" + record.dataset().version();
        Tokenizer tokenizer = spec.isLanguageModel() ? Tokenizer.load(run.tokenizer()) : null;
        TrainingInputs inputs = TrainingInputs.resolve(spec, ref, record.trainLimit(), datasets, tokenizer);
        if (record.trainedOn() != null) {
            // an AutoML final run trained on the training and validation splits together: only its search has both
            throw new UserException("run_of_a_search", "run " + runId + " trained on " + record.trainedOn() + " samples of "
                    + ref + ", not its training split: it is the final training of an AutoML search; continue it with"
                    + " moxing automl --resume SEARCH");
        }
        // another version may have taken the name since the run started
        requireSameSignature(record.model(), spec, inputs);
        return execute(run, record, compiled, inputs, true, true, Stage.WHOLE);
    }

    /** A run's id: the spec's name, the UTC time and four random hex digits (ids sort by start time). */
    public static String newRunId(ModelSpec spec) {
        return spec.name() + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + Hashing.sha256(Long.toString(System.nanoTime()).getBytes()).substring(0, 4);
    }

    /**
     * Refuses, before any training, a model the registry would refuse at the end: one whose classes,
     * input or task differ from the newest version of the name it would be registered under. The
     * suggested name adds the data set's, e.g. cnn-28-digits.
     */
    private void requireSameSignature(String model, ModelSpec spec, TrainingInputs inputs) {
        registry.requireSameSignature(model, new Signature(spec.task(), spec.input(), inputs.classes()),
                model + "-" + inputs.ref().name());
    }

    private TrainResult execute(RunDirectory run, RunRecord record, CompiledModel compiled, TrainingInputs inputs,
                                boolean register, boolean resume, Stage stage) {
        ModelSpec spec = compiled.spec();
        Targets targets = Targets.of(spec);
        long begun = System.nanoTime();
        try (NDManager manager = DeepLearning.engine().newBaseManager()) {
            DeepLearning.seed(spec.training().seed());
            compiled.initialize(manager);
            PretrainedLayers.apply(compiled, registry);
            Optimizer optimizer = Optimizers.create(spec.optimizer());
            Checkpoint checkpoint = new Checkpoint(run, compiled.block(), optimizer);
            List<EpochMetrics> history = resume ? checkpoint.restoreLatest(manager) : List.of();
            double earlierSeconds = RunProgress.seconds(history);
            RunProgress progressRecord = new RunProgress(run, record.progress("running", history.size(), earlierSeconds, null));
            int trainCount;
            try (TensorData train = trainingData(manager, spec, inputs, targets);
                 TensorData validation = validationData(manager, spec, inputs, targets)) {
                List<TrainingListener> listeners = List.of(
                        new ProgressBar(progress, interactive, spec.training().logEvery()),
                        checkpoint,
                        new EarlyStopping(spec.training().earlyStopMetric(), spec.training().earlyStopPatience(), 0),
                        progressRecord,
                        observer);
                history = new TrainingLoop(compiled.block(), manager, Losses.of(spec.loss()), optimizer, spec.training(),
                        new LearningRateSchedule(spec.optimizer().learningRate(), spec.training()), targets, listeners)
                        .run(train, validation, history, stage.untilEpoch());
                trainCount = train.count();
            }

            Inference inference = new Inference(compiled.block(), compiled.head(), manager);
            List<String> classes = spec.task().isClassification() ? inputs.classes() : List.of();
            TestTimeChoice testTime = null;
            if (spec.testTimeAugmentation() == TestTimeAugmentation.AUTO && stage.evaluate()) {
                // decided before the test split is read, so its one evaluation is of the version as it will serve
                testTime = TestTimeChoice.decide(inference, inputs.validation(), classes);
                progress.println(testTime.describe() + (inputs.test() == null && testTime.plain() != null
                        ? "; no test split: the evaluation below is on the validation split it was decided on, so it"
                        + " reads high" : ""));
            }
            // the version as it will be registered and serve: the decided augmentation in its spec
            CompiledModel version = testTime == null ? compiled
                    : compiled.withSpec(spec.withTestTimeAugmentation(testTime.chosen()));
            EvalResult eval = inputs.tokens() == null && stage.evaluate() ? evaluate(inference, version, inputs, classes) : null;
            if (eval != null) {
                EvalReport.write(run.path(), "Evaluation of run " + record.id(), eval);
            }
            List<float[]> predictions = spec.probe() == null ? null
                    : List.of(version.spec().testTimeAugmentation().predict(pack(spec.probe()), version.inputShape(),
                            spec.probe().length, (f, n) -> inference.run(f, version.inputShape(), n, 256)));
            EpochMetrics last = history.get(history.size() - 1);
            Map<String, Double> metrics = metrics(last, eval);
            if (inputs.tokens() != null) {
                metrics.putAll(LanguageModelScores.of(compiled, manager, inputs.tokens()).asMetrics());
            }
            if (testTime != null && testTime.plain() != null) {
                metrics.put("val_" + testTime.metric() + "_as_is", testTime.plain());
                metrics.put("val_" + testTime.metric() + "_mirror_averaged", testTime.mirrored());
            }
            double duration = (System.nanoTime() - begun) / 1e9 + earlierSeconds;
            ModelVersion card = register ? ModelRegistration.register(registry, record, version, inputs, history.size(),
                    metrics, eval, duration, stage.search()) : null;
            Map<String, Object> summary = new LinkedHashMap<>(metrics);
            if (card != null) summary.put("model_version", card.ref());
            if (testTime != null) summary.put("test_time_augmentation", testTime.chosen().wireName());
            // a stage that ended before the spec's epochs (and not by early stopping) is to be continued, unless it was the last
            boolean paused = !stage.evaluate() && history.size() >= stage.untilEpoch() && history.size() < spec.training().epochs();
            RunRecord done = progressRecord.complete(history, summary, paused ? "paused" : "completed");
            RunReport.write(run, done, history, eval);
            double rate = trainCount * (double) history.size() / Math.max(1e-9, done.trainingSeconds());
            return new TrainResult(record.id(), record.model(), card == null ? null : card.version(),
                    inputs.ref().name() + ":" + inputs.ref().version(), history.size(),
                    history.size() < spec.training().epochs(), last.trainLoss(), last.valLoss(), last.valAccuracy(),
                    eval == null ? null : eval.accuracy(), eval == null ? null : eval.macroF1(),
                    eval == null ? null : eval.mse(), (Double) metrics.get("val_perplexity"),
                    (Double) metrics.get("test_perplexity"), (Double) metrics.get("bigram_perplexity"), rate,
                    spec.isLanguageModel() ? rate * spec.input().get(0) : null, duration,
                    spec.probe() == null ? null : List.of(spec.probe()), predictions, run.report().toString());
        }
    }

    private static TensorData trainingData(NDManager manager, ModelSpec spec, TrainingInputs inputs, Targets targets) {
        if (inputs.inline() != null) {
            return TensorData.of(manager, inputs.inline().x(), inputs.inline().y());
        }
        if (inputs.tokens() != null) {
            return TensorData.windows(manager, inputs.tokens().train(), spec.input().get(0));
        }
        return spec.training().augmentation() != null
                ? TensorData.augmented(manager, inputs.train(), targets, new Augmenter(spec.training().augmentation()))
                : TensorData.of(manager, inputs.train(), targets);
    }

    private static TensorData validationData(NDManager manager, ModelSpec spec, TrainingInputs inputs, Targets targets) {
        if (inputs.tokens() != null) {
            return inputs.tokens().validation().length > spec.input().get(0)
                    ? TensorData.windows(manager, inputs.tokens().validation(), spec.input().get(0)) : null;
        }
        return inputs.validation() == null ? null : TensorData.of(manager, inputs.validation(), targets);
    }

    private static EvalResult evaluate(Inference inference, CompiledModel compiled, TrainingInputs inputs, List<String> classes) {
        SplitData split = inputs.evaluationSplit();
        if (split == null) {
            return null;
        }
        float[][] outputs = compiled.spec().testTimeAugmentation().predict(split.features(), split.sampleShape(),
                split.count(), (f, n) -> inference.run(f, split.sampleShape(), n, 500));
        return Metrics.of(split.name(), split.labels(), outputs, classes);
    }

    private static Map<String, Double> metrics(EpochMetrics last, EvalResult eval) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("final_loss", last.trainLoss());
        if (last.valLoss() != null) m.put("val_loss", last.valLoss());
        if (last.valAccuracy() != null) m.put("val_accuracy", last.valAccuracy());
        if (eval != null && eval.accuracy() != null) {
            m.put(eval.split() + "_accuracy", eval.accuracy());
            m.put(eval.split() + "_macro_f1", eval.macroF1());
        }
        if (eval != null && eval.mse() != null) {
            m.put(eval.split() + "_mse", eval.mse());
            m.put(eval.split() + "_mae", eval.mae());
        }
        return m;
    }

    private static float[] pack(float[][] rows) {
        int width = rows[0].length;
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * width, width);
        return out;
    }
}
