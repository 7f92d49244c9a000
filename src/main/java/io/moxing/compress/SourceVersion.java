package io.moxing.compress;

import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.data.DatasetStore;
import io.moxing.model.ModelSpec;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Provenance;
import io.moxing.train.TrainingInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The version being compressed: its directory, card, provenance and spec, and the data it was trained on (the
 * exact data-set version its provenance names), whose test split both versions are judged on.
 */
record SourceVersion(Path directory, ModelVersion card, Provenance provenance, ModelSpec spec, TrainingInputs inputs) {

    static SourceVersion open(String ref, ModelRegistry registry, DatasetStore datasets) {
        Path dir = registry.resolve(ref);
        ModelVersion card = Json.read(dir.resolve("model.json"), ModelVersion.class);
        Provenance provenance = Json.read(dir.resolve("provenance.json"), Provenance.class);
        if (card.encoder() != null || !card.task().isClassification() || provenance.dataset() == null) {
            throw new UserException("unsupported_model", card.ref() + " is a " + card.task() + " model"
                    + (card.encoder() != null ? " (an imported sentence encoder)" : "") + "; moxing compress judges a"
                    + " compressed version by test accuracy, so it takes classifiers trained by Moxing");
        }
        if ("inline".equals(provenance.dataset().name())) {
            throw new UserException("unsupported_model", card.ref() + " was trained on data written into its spec; it has"
                    + " no test split to judge a compressed version on");
        }
        ModelSpec spec = ModelSpec.read(dir.resolve("spec.json"));
        String data = provenance.dataset().name() + ":" + provenance.dataset().version();
        TrainingInputs inputs = TrainingInputs.resolve(spec, data, null, datasets, null);
        if (inputs.evaluationSplit() == null) {
            throw new UserException("missing_split", "data set " + data + " has no test or validation split to judge " + card.ref()
                    + " against its compressed version");
        }
        return new SourceVersion(dir, card, provenance, spec, inputs);
    }

    /** Bytes of the weights file (what compression makes smaller). */
    long weightBytes() {
        return bytes(directory);
    }

    static long bytes(Path versionDir) {
        try {
            return Files.size(ModelVersion.weightsFile(versionDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
