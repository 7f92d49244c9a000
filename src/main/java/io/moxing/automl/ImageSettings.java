package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.model.ModelSpec;

/**
 * A convolutional network and its training, for images. Each block is a 3x3 convolution (batch norm
 * when asked) and ReLU, then 2x2 max pooling while the image is at least 6 pixels high, then, with
 * {@code residual}, a residual block of two more convolutions at the pooled size (pooling first keeps
 * the extra convolutions at a quarter of the cost). The head is global average pooling, dropout and a dense
 * layer, or (Keras style, as in cnn-28) the flattened feature map, dropout, a hidden dense layer of 128 and the dense layer.
 *
 * @param shift   none, random shifts (10% of the size) or random crops (padding of a seventh of the size)
 * @param erasing random erasing with probability 0.5
 * @param head    how the feature map becomes class scores (null in searches saved before there was a choice: pooling)
 */
public record ImageSettings(
        int blocks,
        int width,
        @JsonProperty("batch_norm") boolean batchNorm,
        boolean residual,
        double dropout,
        Shift shift,
        @JsonProperty("horizontal_flip") boolean horizontalFlip,
        boolean erasing,
        OptimizerChoice optimizer,
        @JsonProperty("lr") double learningRate,
        @JsonProperty("weight_decay") double weightDecay,
        ScheduleChoice schedule,
        @JsonProperty("batch_size") int batchSize,
        Head head) implements TrialSettings {

    /** Global average pooling into the classifier, or the flattened map through a hidden dense layer. */
    public enum Head { POOL, DENSE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the geometry of a training image is varied. */
    public enum Shift { NONE, SHIFT, CROP;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public ModelSpec spec(TrialShape shape) {
        ArrayNode layers = Json.MAPPER.createArrayNode();
        long height = shape.input().get(1);
        for (int b = 0; b < blocks; b++) {
            convolution(layers);
            if (height >= 6) {
                layers.add(SpecJson.layer("maxpool").put("size", 2));
                height /= 2;
            }
            if (residual) {
                ObjectNode block = SpecJson.layer("residual");
                ArrayNode inner = block.putArray("layers");
                convolution(inner);
                inner.add(conv());
                if (batchNorm) inner.add(SpecJson.layer("batchnorm"));
                layers.add(block);
                layers.add(SpecJson.layer("relu"));
            }
        }
        layers.add(SpecJson.layer(head == Head.DENSE ? "flatten" : "global_avgpool"));
        if (dropout >= 0.01) layers.add(SpecJson.layer("dropout").put("rate", dropout));
        if (head == Head.DENSE) {
            layers.add(SpecJson.layer("dense").put("units", 128));
            layers.add(SpecJson.layer("relu"));
        }
        layers.add(SpecJson.layer("dense").put("units", shape.classes()));
        return SpecJson.spec(shape, layers, optimizer, learningRate, weightDecay, schedule, batchSize, augmentation(shape));
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d blocks x %d%s%s, %s head, dropout %.2f, %s%s%s, %s lr %.1e wd %.1e, %s, batch %d",
                blocks, width, batchNorm ? ", bn" : "", residual ? ", residual" : "", head == Head.DENSE ? "dense" : "pool",
                dropout, shift.wireName(),
                horizontalFlip ? "+flip" : "", erasing ? "+erasing" : "", optimizer.wireName(), learningRate, weightDecay,
                schedule.wireName(), batchSize);
    }

    /** Convolution, batch norm when asked, ReLU. */
    private void convolution(ArrayNode into) {
        into.add(conv());
        if (batchNorm) into.add(SpecJson.layer("batchnorm"));
        into.add(SpecJson.layer("relu"));
    }

    private ObjectNode conv() {
        // a bias before batch norm is subtracted again by it: leave it out
        return SpecJson.layer("conv2d").put("filters", width).put("kernel", 3).put("padding", "same").put("bias", !batchNorm);
    }

    private ObjectNode augmentation(TrialShape shape) {
        if (shift == Shift.NONE && !horizontalFlip && !erasing) return null;
        ObjectNode a = Json.MAPPER.createObjectNode();
        if (shift == Shift.SHIFT) a.put("width_shift", 0.1).put("height_shift", 0.1);
        if (shift == Shift.CROP) a.put("crop_padding", Math.max(1, shape.input().get(1) / 7));
        if (horizontalFlip) a.put("horizontal_flip", true);
        if (erasing) a.put("random_erasing", 0.5);
        return a;
    }
}
