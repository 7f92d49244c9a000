package io.moxing.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.moxing.core.Json;
import io.moxing.predict.Predictions;
import io.moxing.registry.ModelVersion;
import io.moxing.serve.PredictionId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v1 predict answer, written field by field with Jackson's streaming generator: the same bytes as the
 * answer's map through the object mapper ({@code PredictAnswerTest}), without a map, a boxed float and a
 * serializer lookup per class of every row — that serialisation ran on the batch worker's thread, once per
 * request of every batch, and showed in the serving profile.
 */
final class PredictAnswer {
    private PredictAnswer() {}

    static EncodedAnswer encode(String id, String deployment, String alias, ModelVersion card, List<float[]> outputs) {
        if (!card.task().isClassification()) return EncodedAnswer.json(asMap(id, deployment, alias, card, outputs));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + outputs.size() * 64 * (1 + card.classes().size()));
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EncodedAnswer(out.toByteArray(), "application/json", Map.of());
    }

    /** The answer as a map: what the generator writes, and the encoding of answers that are not class scores. */
    static Map<String, Object> asMap(String id, String deployment, String alias, ModelVersion card, List<float[]> outputs) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("prediction_id", id);
        answer.put("model", deployment);
        answer.put("version", card.version());
        answer.put("alias", alias);
        List<Map<String, Object>> predictions = new java.util.ArrayList<>(outputs.size());
        for (int row = 0; row < outputs.size(); row++) {
            Map<String, Object> prediction = new LinkedHashMap<>();
            prediction.put("id", new PredictionId(id, row).toString());
            prediction.putAll(Predictions.describe(outputs.get(row), card));
            predictions.add(prediction);
        }
        answer.put("predictions", predictions);
        return answer;
    }
}
