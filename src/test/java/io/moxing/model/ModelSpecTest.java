package io.moxing.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moxing.core.Json;
import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    private static final String REGRESSOR = """
            {"name": "points", "task": "%s", "input": [2], "layers": [{"type": "dense", "units": 1}],
             "optimizer": {"type": "sgd", "lr": 0.1}, "training": {"epochs": 1, "batch_size": 2}}
            """;

    @Test
    void everyTemplatesTaskReadsAndIsWrittenBackAsTheSameString() throws Exception {
        for (String name : new String[] {"cnn-28", "lenet-cifar", "rnn-rows", "mobilenetv2-transfer", "mlp-toy",
                "transformer-lm"}) {
            String text;
            try (InputStream in = ModelSpec.class.getResourceAsStream("/templates/" + name + ".json")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String stored = Json.MAPPER.readTree(text).get("task").asText();
            ModelSpec spec = ModelSpec.parse(text, name);
            assertEquals(stored, spec.toJson().get("task").asText(), name);
            assertEquals(spec.task(), ModelSpec.parse(Json.pretty(spec.toJson()), name).task(), name);
        }
    }

    @Test
    void theTaskDefaultsToClassificationAndChoosesTheDefaultLoss() {
        ModelSpec regressor = ModelSpec.parse(REGRESSOR.formatted("regression"), "r.json");
        assertEquals(Task.REGRESSION, regressor.task());
        assertEquals("mse", regressor.loss());
        ModelSpec unnamed = ModelSpec.parse(REGRESSOR.replace("\"task\": \"%s\", ", ""), "c.json");
        assertEquals(Task.CLASSIFICATION, unnamed.task());
        assertEquals("cross_entropy", unnamed.loss());
    }

    @Test
    void aSpecCannotBeForATaskNothingTrainsYet() {
        UserException e = assertThrows(UserException.class, () -> ModelSpec.parse(REGRESSOR.formatted("embedding"), "e.json"));
        assertEquals("invalid_spec", e.code());
        assertEquals("e.json: task 'embedding' must be classification, regression or language-modeling", e.getMessage());
    }
}
