package io.moxing.compress;

import ai.djl.ndarray.NDManager;
import io.moxing.core.AtomicFiles;
import io.moxing.core.BuildInfo;
import io.moxing.core.DeepLearning;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.data.DatasetStore;
import io.moxing.data.SplitData;
import io.moxing.eval.EvalResult;
import io.moxing.eval.Metrics;
import io.moxing.model.CompiledModel;
import io.moxing.model.SpecCompiler;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.CompressedFrom;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Provenance;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code moxing compress}: makes a compressed candidate from a registered version, evaluates the original and the
 * candidate on the same test split (the candidate loaded from its files, as it would be served), and registers it
 * as the name's next version only if the {@link AccuracyGate} lets it through. A refusal registers nothing.
 */
public final class Compressor {
    private final MoxingHome home;
    private final ModelRegistry registry;
    private final DatasetStore datasets;
    private final PrintStream log;

    public Compressor(MoxingHome home, PrintStream log) {
        this.home = home;
        this.registry = new ModelRegistry(home.models());
        this.datasets = new DatasetStore(home.datasets());
        this.log = log;
    }

    public CompressionResult compress(String ref, CompressionMethod method, AccuracyGate gate) {
        SourceVersion source = SourceVersion.open(ref, registry, datasets);
        SplitData test = source.inputs().evaluationSplit();
        double before = evaluate(source.directory(), test).accuracy();
        log.printf("%s: %s accuracy %.4f on %d images of %s%n", source.card().ref(), test.name(), before, test.count(),
                source.provenance().dataset().name());
        if (method instanceof CompressionMethod.Bf16) {
            Bf16Trial.Outcome trial = Bf16Trial.run(source.directory());
            return new CompressionResult(method.kind(), source.card().ref(), before, null, null, false, null, trial.reason(),
                    source.weightBytes(), null, source.card().parameters(), null);
        }
        if (method instanceof CompressionMethod.Prune prune) {
            method = prune.resolvedFor(source.spec());
        }
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        Path staging = AtomicFiles.stagingDirectory(home.models());
        try {
            Candidate candidate = build(source, method, staging);
            EvalResult after = evaluate(staging, test);
            double ratio = source.weightBytes() / (double) candidate.weightBytes();
            AccuracyGate.Verdict verdict = gate.judge(before, after.accuracy());
            log.printf("%s: %s accuracy %.4f, weights %,d -> %,d bytes (%.2fx smaller)%n", method.kind(), test.name(),
                    after.accuracy(), source.weightBytes(), candidate.weightBytes(), ratio);
            String version = null;
            if (verdict.passed()) {
                CompressedFrom from = provenanceOf(method, source.card().ref(), before, after.accuracy(), ratio);
                double seconds = (System.nanoTime() - started) / 1e9;
                version = register(source, candidate, after, from, startedAt, seconds).ref();
            }
            return new CompressionResult(method.kind(), source.card().ref(), before, after.accuracy(), ratio, version != null,
                    version, version == null ? verdict.reason() : verdict.reason() + "; registered " + version,
                    source.weightBytes(), candidate.weightBytes(), source.card().parameters(), candidate.parameters());
        } finally {
            AtomicFiles.deleteRecursively(staging);
        }
    }

    private Candidate build(SourceVersion source, CompressionMethod method, Path staging) {
        try (LoadedModel original = LoadedModel.load(source.directory());
             NDManager manager = DeepLearning.engine().newBaseManager()) {
            if (method instanceof CompressionMethod.Prune prune) {
                StructuredPruning.Pruned pruned = StructuredPruning.prune(original.compiled(), prune.ratio());
                CompiledModel smaller = SpecCompiler.compile(pruned.spec());
                DeepLearning.seed(pruned.spec().training().seed());
                smaller.initialize(manager);
                StructuredPruning.load(pruned, smaller);
                if (prune.epochs() > 0) {
                    FineTuning.run(smaller, manager, source.inputs(), prune.epochs(), prune.learningRate(), log);
                }
                return Candidate.write(staging, smaller, Candidate.Storage.FLOAT32, source, prune.epochs());
            }
            if (method instanceof CompressionMethod.Distill distill) {
                CompiledModel student = studentFor(distill, source);
                DeepLearning.seed(student.spec().training().seed());
                student.initialize(manager);
                new Distillation(original.compiled(), student, manager,
                        new DistillationLoss(distill.temperature(), distill.alpha()))
                        .train(source.inputs().train(), distill.epochs(), log);
                return Candidate.write(staging, student, Candidate.Storage.FLOAT32, source, distill.epochs());
            }
            if (method instanceof CompressionMethod.OnnxInt8) {
                byte[] model = OnnxInt8.build(original.compiled(), original.manager(), source.inputs().train(), log);
                return Candidate.writeOnnx(staging, model, source, original.compiled().forwardFlops());
            }
            if (method instanceof CompressionMethod.Int8) {
                return Candidate.write(staging, original.compiled(), Candidate.Storage.INT8, source, 0);
            }
            throw new IllegalStateException(method.kind() + " builds no candidate");
        }
    }

    /** The student compiled, after checking it takes the teacher's input and answers its classes. */
    private static CompiledModel studentFor(CompressionMethod.Distill distill, SourceVersion source) {
        CompiledModel student = SpecCompiler.compile(distill.student());
        if (!distill.student().input().equals(source.card().inputShape()) || !distill.student().loss().equals(source.spec().loss())
                || student.outputShape().size() != 1 || student.outputShape().get(0) != source.card().classes().size()) {
            throw new UserException("incompatible_student", "student " + distill.student().name() + " takes " + distill.student().input()
                    + " and answers " + student.outputShape() + " with loss " + distill.student().loss() + ", but "
                    + source.card().ref() + " takes " + source.card().inputShape() + " and answers ["
                    + source.card().classes().size() + "] with loss " + source.spec().loss()
                    + "; give the student the same \"input\", loss and a last dense layer of that many units");
        }
        if (distill.student().testTimeAugmentation() == io.moxing.model.TestTimeAugmentation.AUTO) {
            // nothing here trains the student on flipped images or keeps a split back to decide on
            throw new UserException("invalid_spec", "student " + distill.student().name() + " asks for test_time_augmentation"
                    + " 'auto', which a training decides and distillation does not; give it none or horizontal_flip");
        }
        return student;
    }

    private EvalResult evaluate(Path versionDir, SplitData split) {
        try (LoadedModel model = LoadedModel.load(versionDir)) {
            float[][] outputs = model.predict(split.features(), split.count());
            return Metrics.of(split.name(), split.labels(), outputs, model.card().classes());
        }
    }

    private static CompressedFrom provenanceOf(CompressionMethod method, String source, double before, double after, double ratio) {
        if (method instanceof CompressionMethod.Prune p) {
            return new CompressedFrom(source, p.kind(), p.ratio(), null, null, null, p.epochs(), p.learningRate(), before, after,
                    ratio);
        }
        if (method instanceof CompressionMethod.Distill d) {
            return new CompressedFrom(source, d.kind(), null, d.student().name(), d.temperature(), d.alpha(), d.epochs(),
                    null, before, after, ratio);
        }
        return new CompressedFrom(source, method.kind(), null, null, null, null, null, null, before, after, ratio);
    }

    private ModelVersion register(SourceVersion source, Candidate candidate, EvalResult eval, CompressedFrom from,
                                  String startedAt, double seconds) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(eval.split() + "_accuracy", eval.accuracy());
        metrics.put(eval.split() + "_macro_f1", eval.macroF1());
        String weightsFile = ModelVersion.weightsFile(candidate.directory()).getFileName().toString();
        Provenance old = source.provenance();
        return registry.register(source.card().name(), version -> staging -> {
            copy(candidate.directory(), staging, weightsFile);
            copy(candidate.directory(), staging, "spec.json");
            AtomicFiles.writeJson(staging.resolve("eval.json"), eval);
            AtomicFiles.writeJson(staging.resolve("provenance.json"), new Provenance(null, candidate.spec().toJson(),
                    old.dataset(), old.seed(), candidate.epochs(), metrics, BuildInfo.current(), startedAt,
                    Instant.now().toString(), seconds, candidate.parameters(), candidate.forwardFlops(),
                    candidate.card().parametersSha256(), null, from, null));
            ModelVersion c = candidate.card();
            return new ModelVersion(c.formatVersion(), c.name(), version, Instant.now().toString(), c.task(), c.inputShape(),
                    c.classes(), c.head(), c.normalization(), c.dataKind(), c.parameters(), c.parametersSha256(), null, metrics);
        });
    }

    private static void copy(Path from, Path to, String file) {
        try {
            Files.copy(from.resolve(file), to.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
