package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moxing.core.Json;
import io.moxing.registry.ModelVersion;
import io.moxing.core.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streamed predict answer against the same answer as a map through the object mapper. */
class PredictAnswerTest {
    private static ModelVersion card(Task task, List<String> classes) {
        return new ModelVersion(1, "m", 3, "2026-01-01T00:00:00Z", task, List.of(4), classes, null, null, "table", 10, "sha",
                "run", Map.of());
    }

    private static void same(ModelVersion card, List<float[]> outputs) {
        String streamed = new String(PredictAnswer.encode("req-1", "shop \"cats\"", "production", card, outputs).bytes(),
                StandardCharsets.UTF_8);
        assertEquals(Json.line(PredictAnswer.asMap("req-1", "shop \"cats\"", "production", card, outputs)), streamed);
    }

    @Test
    void writesTheBytesTheMapWouldGive() {
        ModelVersion classes = card(Task.CLASSIFICATION, List.of("T-shirt/top", "Trouser", "Pull\u00f6ver", "\u886c\u886b"));
        same(classes, List.of(new float[] {0.1f, 0.2f, 0.6f, 0.1f}, new float[] {1e-9f, 0.99999f, 0f, 1e-5f},
                new float[] {0.25f, 0.25f, 0.25f, 0.25f}));
        same(card(Task.CLASSIFICATION, List.of("no", "yes")), List.of(new float[] {0.8f}, new float[] {0.2f}));
        same(card(Task.REGRESSION, List.of()), List.of(new float[] {3.5f}, new float[] {1f, 2f}));
    }
}
