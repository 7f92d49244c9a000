package io.moxing.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.DeepLearning;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import io.moxing.predict.Inference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a backbone exported by PyTorch (bench/export_mobilenetv2.py: TorchScript and ONNX files, an
 * input batch and PyTorch's output for it) through Moxing's {@code imported} layer and compares the
 * outputs with PyTorch's.
 */
public final class ImportCheck {
    private ImportCheck() {}

    /** One format's agreement: the largest absolute difference and that relative to the largest output. */
    public record Agreement(String format, @JsonProperty("max_abs_error") double maxAbsError,
                            @JsonProperty("relative_error") double relativeError, double seconds) {}

    public record Result(List<Long> input, List<Long> output, List<Agreement> formats,
                         @JsonProperty("max_relative_error") double maxRelativeError) {}

    public static Result run(Path dir) {
        JsonNode meta = Json.read(dir.resolve("meta.json"), JsonNode.class);
        List<Long> input = longs(meta.get("input"));
        List<Long> output = longs(meta.get("output"));
        float[] x = floats(dir.resolve("input.bin"));
        float[] expected = floats(dir.resolve("output.bin"));
        List<Agreement> agreements = new ArrayList<>();
        for (String format : List.of("torchscript", "onnx")) {
            Path file = dir.resolve(format.equals("onnx") ? "backbone.onnx" : "backbone.pt");
            String spec = """
                    {"name": "import-check", "task": "regression", "loss": "mse", "input": %s,
                     "layers": [{"type": "imported", "format": "%s", "path": %s}, {"type": "flatten"}],
                     "optimizer": {"type": "adam", "lr": 0.001}, "training": {"epochs": 1, "batch_size": 1}}
                    """.formatted(input.subList(1, input.size()), format, Json.line(file.toAbsolutePath().toString()));
            CompiledModel model = SpecCompiler.compile(ModelSpec.parse(spec, "import-check"));
            try (var manager = DeepLearning.engine().newBaseManager()) {
                model.initialize(manager);
                Inference inference = new Inference(model.block(), model.head(), manager);
                long[] sample = model.inputShape();
                int batch = input.get(0).intValue();
                long start = System.nanoTime();
                float[][] actual = inference.run(x, sample, batch, batch);
                double seconds = (System.nanoTime() - start) / 1e9;
                double maxAbs = 0;
                double scale = 0;
                int width = expected.length / batch;
                for (int i = 0; i < batch; i++) {
                    for (int j = 0; j < width; j++) {
                        maxAbs = Math.max(maxAbs, Math.abs(actual[i][j] - expected[i * width + j]));
                        scale = Math.max(scale, Math.abs(expected[i * width + j]));
                    }
                }
                agreements.add(new Agreement(format, maxAbs, maxAbs / scale, seconds));
            }
        }
        return new Result(input, output, agreements,
                agreements.stream().mapToDouble(Agreement::relativeError).max().orElse(Double.NaN));
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static float[] floats(Path file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UserException("unreadable_file", file + ": cannot read (" + e.getMessage()
                    + "); export again with bench/export_mobilenetv2.py", e);
        }
    }
}
