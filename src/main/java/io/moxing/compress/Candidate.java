package io.moxing.compress;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Hashing;
import io.moxing.core.Json;
import io.moxing.model.CompiledModel;
import io.moxing.model.Int8Weights;
import io.moxing.model.ModelSpec;
import io.moxing.registry.ModelVersion;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A compressed model written to a staging directory as a version would be (spec, weights, card with version 0),
 * so that it is judged exactly as it would be loaded and served. {@code epochs}: of fine-tuning or student
 * training, 0 for int8.
 */
record Candidate(Path directory, ModelSpec spec, ModelVersion card, long parameters, long forwardFlops, int epochs) {

    enum Storage { FLOAT32, INT8 }

    /** Writes {@code model}'s weights, its spec and a card derived from the source's into {@code dir}. */
    static Candidate write(Path dir, CompiledModel model, Storage storage, SourceVersion source, int epochs) {
        String file = storage == Storage.INT8 ? ModelVersion.INT8_PARAMETERS_FILE : ModelVersion.PARAMETERS_FILE;
        Path weights = dir.resolve(file);
        AtomicFiles.write(weights, out -> {
            DataOutputStream data = new DataOutputStream(out);
            if (storage == Storage.INT8) {
                Int8Weights.write(model.block(), data);
            } else {
                model.block().saveParameters(data);
            }
            data.flush();
        });
        AtomicFiles.writeString(dir.resolve("spec.json"), Json.pretty(model.spec().toJson()) + "\n");
        ModelVersion s = source.card();
        ModelVersion card = new ModelVersion(ModelVersion.FORMAT_VERSION, s.name(), 0, Instant.now().toString(), s.task(),
                s.inputShape(), s.classes(), model.head(), s.normalization(), s.dataKind(), model.parameters(),
                Hashing.sha256(weights), null, Map.of());
        AtomicFiles.writeJson(dir.resolve("model.json"), card);
        return new Candidate(dir, model.spec(), card, model.parameters(), model.forwardFlops(), epochs);
    }

    long weightBytes() {
        return SourceVersion.bytes(directory);
    }
}
