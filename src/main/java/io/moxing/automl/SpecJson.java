package io.moxing.automl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.model.ModelSpec;
import io.moxing.model.TestTimeAugmentation;

/** The parts of a trial's spec both kinds of settings write the same way: optimizer, training and the frame. */
final class SpecJson {
    private SpecJson() {}

    static ObjectNode layer(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }

    /**
     * The whole spec around {@code layers}: parsed as a user's spec is, so a settings record that made a
     * bad spec fails with the spec language's own message.
     */
    static ModelSpec spec(TrialSettings.TrialShape shape, ArrayNode layers, OptimizerChoice optimizer, double lr,
                          double weightDecay, ScheduleChoice schedule, int batchSize, ObjectNode augmentation) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("name", shape.name());
        root.put("description", "an AutoML trial");
        ArrayNode input = root.putArray("input");
        shape.input().forEach(input::add);
        root.set("layers", layers);
        root.put("loss", "cross_entropy");
        root.put("initializer", "he_normal");
        ObjectNode opt = root.putObject("optimizer");
        if (optimizer == OptimizerChoice.ADAMW) {
            opt.put("type", "adamw");
        } else {
            opt.put("type", "sgd").put("momentum", 0.9).put("nesterov", true);
        }
        opt.put("lr", lr).put("weight_decay", weightDecay);
        ObjectNode training = root.putObject("training");
        training.put("epochs", shape.maxEpochs()).put("batch_size", batchSize).put("seed", shape.seed())
                .put("schedule", schedule.specName());
        if (schedule == ScheduleChoice.COSINE_WARMUP) {
            training.put("warmup_epochs", 0.1 * shape.maxEpochs());
        }
        if (augmentation != null) {
            training.set("augmentation", augmentation);
            if (augmentation.path("horizontal_flip").asBoolean() && shape.testTime() == TestTimeAugmentation.AUTO) {
                // a network trained on mirrored images may predict better from both views: the final training
                // decides on the validation split (trials are ranked on the samples as they are)
                root.put("test_time_augmentation", "auto");
            }
        }
        return ModelSpec.parse(Json.pretty(root), "automl trial " + shape.name());
    }
}
