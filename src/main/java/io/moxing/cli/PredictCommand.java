package io.moxing.cli;

import io.moxing.core.UserException;
import io.moxing.predict.InputDecoder;
import io.moxing.predict.Predictor;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with a registered model: an image (PNG/JPEG) or a JSON row of numbers.")
final class PredictCommand implements Runnable {
    @Parameters(index = "0", description = "MODEL or MODEL:VERSION") String model;
    @Option(names = "--input", required = true, description = "An image file, or a .json file with a row (or rows).") Path input;
    @Option(names = "--top", defaultValue = "3", description = "How many classes to print.") int top;
    @Option(names = "--json") boolean json;

    @Override
    public void run() {
        Output out = new Output(System.out, json);
        if (!Files.isRegularFile(input)) {
            throw new UserException("file_not_found", input + ": no such file; give an image or a .json row with --input");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(input);
        } catch (IOException e) {
            throw new UserException("unreadable_file", input + ": cannot read (" + e.getMessage() + ")");
        }
        Path dir = new ModelRegistry(Main.home().models()).resolve(model);
        try (Predictor loaded = Predictor.load(dir)) {
            ModelVersion card = loaded.card();
            if (card.task().isLanguageModel()) {
                throw new UserException("language_model", card.ref() + " is a language model; write with it using"
                        + " moxing generate " + card.ref() + " --prompt TEXT");
            }
            List<float[]> rows = input.toString().endsWith(".json")
                    ? InputDecoder.rows(new String(bytes, StandardCharsets.UTF_8), card, input.toString())
                    : List.of(InputDecoder.image(bytes, card, input.toString()));
            int size = rows.get(0).length;
            float[] packed = new float[rows.size() * size];
            for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, packed, i * size, size);
            float[][] outputs = loaded.predict(packed, rows.size());
            List<Map<String, Object>> predictions = new ArrayList<>();
            for (float[] o : outputs) {
                predictions.add(describe(o, card, out));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", card.name());
            result.put("version", card.version());
            result.put("predictions", predictions);
            out.result(result);
        }
    }

    private Map<String, Object> describe(float[] output, ModelVersion card, Output out) {
        Map<String, Object> p = io.moxing.predict.Predictions.describe(output, card);
        if (!card.task().isClassification()) {
            out.line("prediction: %s", java.util.Arrays.toString(output));
            return p;
        }
        float[] probabilities = io.moxing.predict.Predictions.classProbabilities(output);
        List<Integer> order = io.moxing.predict.Predictions.ranked(probabilities);
        out.line("%s (%.1f%%)", card.classes().get(order.get(0)), 100 * probabilities[order.get(0)]);
        for (int k = 1; k < Math.min(top, order.size()); k++) {
            out.line("  then %s (%.1f%%)", card.classes().get(order.get(k)), 100 * probabilities[order.get(k)]);
        }
        return p;
    }
}
