package io.moxing.http;

import io.moxing.predict.Predictions;
import io.moxing.registry.ModelVersion;
import io.moxing.serve.PredictionId;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v1 predict answer, written straight to text ({@link JsonText}): the same bytes as the answer's map through
 * the object mapper ({@code PredictAnswerTest}), without a map, a boxed float and a serializer lookup per class of
 * every row, nor the streaming generator's set-up and context checks — this runs on the batch worker's thread,
 * once per request of every batch, and each of those showed in the serving profile.
 */
final class PredictAnswer {
    private PredictAnswer() {}

    static EncodedAnswer encode(String id, String deployment, String alias, ModelVersion card, List<float[]> outputs) {
        if (!card.task().isClassification()) return EncodedAnswer.json(asMap(id, deployment, alias, card, outputs));
        List<String> classes = card.classes();
        StringBuilder json = new StringBuilder(160 + outputs.size() * (96 + 24 * classes.size()));
        json.append("{\"prediction_id\":");
        JsonText.quoted(json, id);
        json.append(",\"model\":");
        JsonText.quoted(json, deployment);
        json.append(",\"version\":").append(card.version()).append(",\"alias\":");
        if (alias == null) json.append("null");
        else JsonText.quoted(json, alias);
        json.append(",\"predictions\":[");
        for (int row = 0; row < outputs.size(); row++) {
            float[] probabilities = Predictions.classProbabilities(outputs.get(row));
            int best = Predictions.best(probabilities);
            if (row > 0) json.append(',');
            json.append("{\"id\":");
            JsonText.quoted(json, new PredictionId(id, row).toString());
            json.append(",\"label\":");
            JsonText.quoted(json, classes.get(best));
            json.append(",\"class\":").append(best).append(",\"probability\":");
            JsonText.number(json, probabilities[best]);
            json.append(",\"probabilities\":{");
            for (int i = 0; i < probabilities.length; i++) {
                if (i > 0) json.append(',');
                JsonText.quoted(json, classes.get(i));
                json.append(':');
                JsonText.number(json, probabilities[i]);
            }
            json.append("}}");
        }
        json.append("]}");
        return new EncodedAnswer(json.toString().getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
    }

    /** The answer as a map: what {@link #encode} writes as text, and the encoding of answers that are not class scores. */
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
