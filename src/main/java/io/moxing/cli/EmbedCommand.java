package io.moxing.cli;

import io.moxing.predict.SentenceEncoder;
import io.moxing.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed texts with a registered sentence encoder; with two or more, print their cosine similarities.")
final class EmbedCommand implements Runnable {
    @Parameters(index = "0", description = "MODEL or MODEL:VERSION (a sentence encoder, see moxing models import-embedding)")
    String model;
    @Option(names = "--text", required = true, description = "A text to embed (repeat for several).") List<String> texts;
    @Option(names = "--json", description = "Also print the vectors, as one JSON object on the last line.") boolean json;

    @Override
    public void run() {
        Output out = new Output(System.out, json);
        try (SentenceEncoder encoder = SentenceEncoder.load(new ModelRegistry(Main.home().models()).resolve(model))) {
            SentenceEncoder.Tokens tokens = encoder.tokenize(texts);
            float[][] vectors = encoder.embed(tokens);
            for (int i = 0; i < texts.size(); i++) {
                out.line("[%d] %d tokens  %s", i, tokens.ids().get(i).length, texts.get(i));
            }
            List<List<Double>> similarity = new ArrayList<>();
            for (int i = 0; i < vectors.length; i++) {
                List<Double> row = new ArrayList<>();
                for (int j = 0; j < vectors.length; j++) row.add(dot(vectors[i], vectors[j]));
                similarity.add(row);
                if (vectors.length > 1) {
                    StringBuilder line = new StringBuilder();
                    for (double s : row) line.append(String.format(" %6.3f", s));
                    out.line("cosine [%d]%s", i, line);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", encoder.card().ref());
            result.put("dimensions", encoder.dimensions());
            result.put("tokens", tokens.total());
            result.put("cosine", similarity);
            result.put("embeddings", vectors);
            out.result(result);
        }
    }

    /** The cosine of two unit vectors. */
    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
