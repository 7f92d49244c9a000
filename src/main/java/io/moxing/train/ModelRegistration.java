package io.moxing.train;

import io.moxing.core.AtomicFiles;
import io.moxing.core.BuildInfo;
import io.moxing.core.Hashing;
import io.moxing.core.Json;
import io.moxing.eval.EvalResult;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Provenance;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Registers a trained block as a new model version with its card, spec, parameters, evaluation and provenance. */
final class ModelRegistration {
    private ModelRegistration() {}

    static ModelVersion register(ModelRegistry registry, RunRecord record, CompiledModel compiled, TrainingInputs inputs,
                                 int epochs, Map<String, Double> metrics, EvalResult eval, double durationSeconds) {
        ModelSpec spec = compiled.spec();
        return registry.register(record.model(), version -> staging -> {
            Path params = staging.resolve(ModelVersion.PARAMETERS_FILE);
            AtomicFiles.write(params, out -> compiled.block().saveParameters(new DataOutputStream(out)));
            String sha = Hashing.sha256(params);
            AtomicFiles.writeString(staging.resolve("spec.json"), Json.pretty(spec.toJson()) + "\n");
            AtomicFiles.writeJson(staging.resolve("provenance.json"), new Provenance(record.id(), spec.toJson(),
                    inputs.ref(), spec.training().seed(), epochs, metrics, BuildInfo.current(), record.startedAt(),
                    Instant.now().toString(), durationSeconds, compiled.parameters(), compiled.forwardFlops(), sha));
            if (eval != null) {
                AtomicFiles.writeJson(staging.resolve("eval.json"), eval);
            }
            return new ModelVersion(ModelVersion.FORMAT_VERSION, record.model(), version, Instant.now().toString(),
                    spec.task(), spec.input(), inputs.classes(), compiled.head(), inputs.normalization(), inputs.kind(),
                    compiled.parameters(), sha, record.id(), metrics);
        });
    }
}
