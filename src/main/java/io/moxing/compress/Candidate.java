package io.moxing.compress;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Hashing;
import io.moxing.core.Json;
import io.moxing.model.CompiledModel;
import io.moxing.model.Int8Weights;
import io.moxing.model.ModelSpec;
import io.moxing.model.OutputHead;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        return describe(dir, model.spec(), model.head(), weights, source, model.parameters(), model.forwardFlops(), epochs);
    }

    /**
     * Writes an int8 ONNX model ({@code --method onnx-int8}) and a spec whose one {@code imported} layer runs it; the
     * weights and the work per sample are the source's, stored and computed in 8 bits.
     */
    static Candidate writeOnnx(Path dir, byte[] model, SourceVersion source, long forwardFlops) {
        Path file = dir.resolve(ModelVersion.ONNX_INT8_FILE);
        AtomicFiles.write(file, out -> out.write(model));
        ObjectNode json = source.spec().toJson();
        json.put("description", "int8 weights and activations for ONNX Runtime (moxing compress --method onnx-int8) of "
                + source.card().ref());
        json.putArray("layers").addObject().put("type", "imported").put("format", "onnx").put("path", ModelVersion.ONNX_INT8_FILE);
        ModelSpec spec = ModelSpec.parse(json.toString(), source.card().ref() + " as onnx-int8");
        // the graph ends with the source's output head, so its answers are what the card says the source's are
        return describe(dir, spec, source.card().head(), file, source, source.card().parameters(), forwardFlops, 0);
    }

    private static Candidate describe(Path dir, ModelSpec spec, OutputHead head, Path weights, SourceVersion source,
                                      long parameters, long forwardFlops, int epochs) {
        AtomicFiles.writeString(dir.resolve("spec.json"), Json.pretty(spec.toJson()) + "\n");
        ModelVersion s = source.card();
        ModelVersion card = new ModelVersion(ModelVersion.FORMAT_VERSION, s.name(), 0, Instant.now().toString(), s.task(),
                s.inputShape(), s.classes(), head, s.normalization(), s.dataKind(), parameters,
                Hashing.sha256(weights), null, Map.of());
        AtomicFiles.writeJson(dir.resolve("model.json"), card);
        return new Candidate(dir, spec, card, parameters, forwardFlops, epochs);
    }

    long weightBytes() {
        return SourceVersion.bytes(directory);
    }
}
