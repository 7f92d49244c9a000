package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.Task;
import io.moxing.data.Normalization;
import io.moxing.model.OutputHead;
import java.util.List;
import java.util.Map;

/**
 * A registered model version's card ({@code model.json}): what it takes, what it returns and how to
 * turn raw input into what it takes. Immutable once written.
 */
public record ModelVersion(
        @JsonProperty("format_version") int formatVersion,
        String name,
        int version,
        @JsonProperty("created_at") String createdAt,
        Task task,
        @JsonProperty("input_shape") List<Integer> inputShape,
        List<String> classes,
        OutputHead head,
        Normalization normalization,
        @JsonProperty("data_kind") String dataKind,
        long parameters,
        @JsonProperty("parameters_sha256") String parametersSha256,
        @JsonProperty("run_id") String runId,
        Map<String, Double> metrics,
        @JsonInclude(JsonInclude.Include.NON_NULL) EncoderCard encoder) {

    public static final int FORMAT_VERSION = 1;
    public static final String PARAMETERS_FILE = "parameters.bin";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    /** Weights stored as int8 with per-channel scales ({@code model.Int8Weights}), in place of {@link #PARAMETERS_FILE}. */
    public static final String INT8_PARAMETERS_FILE = "parameters.int8";

    /**
     * A whole network as a quantized ONNX graph ({@code moxing compress --method onnx-int8}), read by the version's one
     * {@code imported} layer: it holds every weight, and there is no parameters file.
     */
    public static final String ONNX_INT8_FILE = "model.int8.onnx";

    /**
     * The file that holds a version's weights: {@link #ONNX_INT8_FILE} or {@link #INT8_PARAMETERS_FILE} when there is
     * one, else {@link #PARAMETERS_FILE}.
     */
    public static java.nio.file.Path weightsFile(java.nio.file.Path versionDir) {
        for (String file : List.of(ONNX_INT8_FILE, INT8_PARAMETERS_FILE)) {
            if (java.nio.file.Files.isRegularFile(versionDir.resolve(file))) return versionDir.resolve(file);
        }
        return versionDir.resolve(PARAMETERS_FILE);
    }

    /** A trained model's card: no encoder. */
    public ModelVersion(int formatVersion, String name, int version, String createdAt, Task task, List<Integer> inputShape,
                        List<String> classes, OutputHead head, Normalization normalization, String dataKind, long parameters,
                        String parametersSha256, String runId, Map<String, Double> metrics) {
        this(formatVersion, name, version, createdAt, task, inputShape, classes, head, normalization, dataKind, parameters,
                parametersSha256, runId, metrics, null);
    }

    public String ref() {
        return name + ":" + version;
    }

    public Signature signature() {
        return new Signature(task, inputShape, classes, encoder == null ? 0 : encoder.dimensions());
    }
}
