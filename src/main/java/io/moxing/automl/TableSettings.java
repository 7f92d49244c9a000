package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.moxing.core.Json;
import io.moxing.model.ModelSpec;

/** A multi-layer perceptron and its training, for tables: {@code depth} hidden layers of {@code width} units. */
public record TableSettings(
        int depth,
        int width,
        Normalisation normalisation,
        double dropout,
        OptimizerChoice optimizer,
        @JsonProperty("lr") double learningRate,
        @JsonProperty("weight_decay") double weightDecay,
        ScheduleChoice schedule,
        @JsonProperty("batch_size") int batchSize) implements TrialSettings {

    @Override
    public ModelSpec spec(TrialShape shape) {
        ArrayNode layers = Json.MAPPER.createArrayNode();
        for (int d = 0; d < depth; d++) {
            layers.add(SpecJson.layer("dense").put("units", width).put("bias", normalisation != Normalisation.BATCHNORM));
            if (normalisation != Normalisation.NONE) layers.add(SpecJson.layer(normalisation.wireName()));
            layers.add(SpecJson.layer("relu"));
            if (dropout >= 0.01) layers.add(SpecJson.layer("dropout").put("rate", dropout));
        }
        layers.add(SpecJson.layer("dense").put("units", shape.classes()));
        return SpecJson.spec(shape, layers, optimizer, learningRate, weightDecay, schedule, batchSize, null);
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d x %d, %s, dropout %.2f, %s lr %.1e wd %.1e, %s, batch %d", depth,
                width, normalisation.wireName(), dropout, optimizer.wireName(), learningRate, weightDecay,
                schedule.wireName(), batchSize);
    }
}
