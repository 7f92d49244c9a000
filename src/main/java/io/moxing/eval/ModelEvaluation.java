package io.moxing.eval;

import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.data.SplitData;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.nio.file.Path;
import java.time.Instant;

/** Evaluates a registered model version on a split of a stored data set and writes the report. */
public final class ModelEvaluation {
    private final MoxingHome home;

    public ModelEvaluation(MoxingHome home) {
        this.home = home;
    }

    /** The evaluation and where its report was written. */
    public record Outcome(String model, String dataset, EvalResult result, Path report) {}

    public Outcome run(String modelRef, String datasetRef, String split) {
        Path versionDir = new ModelRegistry(home.models()).resolve(modelRef);
        Dataset dataset = new DatasetStore(home.datasets()).resolveOrImportKnown(datasetRef);
        try (LoadedModel model = LoadedModel.load(versionDir)) {
            ModelVersion card = model.card();
            var m = dataset.manifest();
            if (card.task().isLanguageModel()) {
                throw new UserException("language_model", card.ref() + " is a language model: its validation and test"
                        + " perplexity are in its card (moxing models show " + card.ref() + "); write with it using moxing generate");
            }
            if (!m.sampleShape().equals(card.inputShape())) {
                throw new UserException("wrong_shape", "data set " + m.ref() + " has samples of shape " + m.sampleShape()
                        + " but model " + card.ref() + " takes " + card.inputShape());
            }
            if (card.task().isClassification() && !m.classes().equals(card.classes())) {
                throw new UserException("wrong_classes", "data set " + m.ref() + " has classes " + m.classes()
                        + " but model " + card.ref() + " was trained on " + card.classes());
            }
            SplitData data = dataset.load(split);
            float[][] outputs = model.predict(data.features(), data.count());
            EvalResult result = Metrics.of(split, data.labels(), outputs,
                    card.task().isClassification() ? card.classes() : java.util.List.of());
            String stamp = Instant.now().toString().replace(":", "").replace(".", "");
            Path dir = home.reports().resolve("eval-" + card.name() + "-" + card.version() + "-" + m.name() + "-" + split + "-" + stamp);
            Path html = EvalReport.write(dir, "Model " + card.ref() + " on " + m.ref() + " (" + split + ")", result);
            return new Outcome(card.ref(), m.ref(), result, html);
        }
    }
}
