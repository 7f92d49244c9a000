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
                                 int epochs, Map<String, Double> metrics, EvalResult eval, double durationSeconds,
                                 io.moxing.registry.SearchProvenance search) {
        ModelSpec spec = compiled.spec();
        return registry.register(record.model(), version -> staging -> {
            Path params = staging.resolve(ModelVersion.PARAMETERS_FILE);
            AtomicFiles.write(params, out -> compiled.block().saveParameters(new DataOutputStream(out)));
            String sha = Hashing.sha256(params);
            // an imported backbone's file travels with the version, named relative to it
            ModelSpec stored = spec.withImportedPaths(layer -> {
                Path source = Path.of(layer.fields().get("path").asText());
                String name = "imported-" + layer.index() + "-" + source.getFileName();
                try {
                    java.nio.file.Files.copy(source, staging.resolve(name));
                } catch (java.io.IOException e) {
                    throw new io.moxing.core.UserException("unreadable_file", source + ": cannot be copied into the model ("
                            + e.getMessage() + ")", e);
                }
                return name;
            });
            AtomicFiles.writeString(staging.resolve("spec.json"), Json.pretty(stored.toJson()) + "\n");
            AtomicFiles.writeJson(staging.resolve("provenance.json"), new Provenance(record.id(), spec.toJson(),
                    inputs.ref(), spec.training().seed(), epochs, metrics, BuildInfo.current(), record.startedAt(),
                    Instant.now().toString(), durationSeconds, compiled.parameters(), compiled.forwardFlops(), sha)
                    .withSearch(search));
            if (inputs.tokens() != null) {
                inputs.tokens().tokenizer().save(staging.resolve(ModelVersion.TOKENIZER_FILE));
            }
            if (eval != null) {
                AtomicFiles.writeJson(staging.resolve("eval.json"), eval);
            }
            return new ModelVersion(ModelVersion.FORMAT_VERSION, record.model(), version, Instant.now().toString(),
                    spec.task(), spec.input(), inputs.classes(), compiled.head(), inputs.normalization(), inputs.kind(),
                    compiled.parameters(), sha, record.id(), metrics);
        });
    }
}
