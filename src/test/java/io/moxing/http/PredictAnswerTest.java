package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import io.moxing.core.Json;
import io.moxing.core.Task;
import io.moxing.predict.Predictions;
import io.moxing.registry.ModelVersion;
import io.moxing.serve.PredictionId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The predict answer written as text, against the same answer as a map through the object mapper, and byte for byte
 * against Jackson's streaming generator (the code it replaced) where the two writers of Jackson differ: strings that
 * need escaping, floats of any bit pattern.
 */
class PredictAnswerTest {
    private static ModelVersion card(Task task, List<String> classes) {
        return new ModelVersion(1, "m", 3, "2026-01-01T00:00:00Z", task, List.of(4), classes, null, null, "table", 10, "sha",
                "run", Map.of());
    }

    private static void same(ModelVersion card, List<float[]> outputs) {
        String written = new String(PredictAnswer.encode("req-1", "shop \"cats\"", "production", card, outputs).bytes(),
                StandardCharsets.UTF_8);
        assertEquals(Json.line(PredictAnswer.asMap("req-1", "shop \"cats\"", "production", card, outputs)), written);
    }

    /** The answer as the encoder wrote it with Jackson's generator before it wrote text. */
    private static byte[] generator(String id, String deployment, String alias, ModelVersion card, List<float[]> outputs)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.compactFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("prediction_id", id);
            g.writeStringField("model", deployment);
            g.writeNumberField("version", card.version());
            g.writeStringField("alias", alias);
            g.writeArrayFieldStart("predictions");
            for (int row = 0; row < outputs.size(); row++) {
                float[] probabilities = Predictions.classProbabilities(outputs.get(row));
                int best = Predictions.best(probabilities);
                g.writeStartObject();
                g.writeStringField("id", new PredictionId(id, row).toString());
                g.writeStringField("label", card.classes().get(best));
                g.writeNumberField("class", best);
                g.writeNumberField("probability", probabilities[best]);
                g.writeObjectFieldStart("probabilities");
                for (int i = 0; i < probabilities.length; i++) g.writeNumberField(card.classes().get(i), probabilities[i]);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void sameAsGenerator(String id, String deployment, String alias, ModelVersion card, List<float[]> outputs)
            throws IOException {
        assertArrayEquals(generator(id, deployment, alias, card, outputs),
                PredictAnswer.encode(id, deployment, alias, card, outputs).bytes(), "id " + id + ", model " + deployment);
    }

    @Test
    void writesTheBytesTheMapWouldGive() {
        ModelVersion classes = card(Task.CLASSIFICATION, List.of("T-shirt/top", "Trouser", "Pull\u00f6ver", "\u886c\u886b"));
        same(classes, List.of(new float[] {0.1f, 0.2f, 0.6f, 0.1f}, new float[] {1e-9f, 0.99999f, 0f, 1e-5f},
                new float[] {0.25f, 0.25f, 0.25f, 0.25f}));
        same(card(Task.CLASSIFICATION, List.of("no", "yes")), List.of(new float[] {0.8f}, new float[] {0.2f}));
        same(card(Task.REGRESSION, List.of()), List.of(new float[] {3.5f}, new float[] {1f, 2f}));
    }

    @Test
    void writesTheBytesTheGeneratorWrote() throws IOException {
        ModelVersion odd = card(Task.CLASSIFICATION, List.of("quote \" back \\ slash", "tab\tnew\nline\u0001 \b\f\r / slash",
                "emoji \ud83d\ude00", "lone \ud800", "\u2028 \u007f", ""));
        Random random = new Random(11);
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < 40; r++) {
            float[] row = new float[6];
            for (int i = 0; i < row.length; i++) {
                row[i] = r % 2 == 0 ? random.nextFloat() : Float.intBitsToFloat(random.nextInt()); // NaN, subnormal, huge
            }
            rows.add(row);
        }
        rows.add(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 1f / 3});
        for (String id : List.of("req-1", "id \"with\" \\ \t escapes \ud83d\ude00", "lone \udc00")) {
            sameAsGenerator(id, "model \ud83d\ude00 \"quoted\"", "production", odd, rows);
        }
        sameAsGenerator("r", "m", null, card(Task.CLASSIFICATION, List.of("no", "yes")), List.of(new float[] {0.8f}));
    }
}
