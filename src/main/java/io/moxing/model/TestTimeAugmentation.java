package io.moxing.model;

import io.moxing.core.UserException;
import java.util.Arrays;
import java.util.List;

/**
 * What a model does to a sample before predicting it. {@link #HORIZONTAL_FLIP} predicts the image and its mirror
 * image and averages the two outputs (probabilities, for a classifier): a network trained on randomly flipped
 * images has learnt both orientations, and the average of two views makes fewer mistakes than either (+0.2 to
 * +0.4 points of validation accuracy on Fashion-MNIST, docs/BENCHMARKS.md), for twice the compute per sample.
 * Networks that never saw a flip get worse (cnn-28: 0.926 to 0.842), so it is not assumed: {@link #AUTO} asks the
 * training to decide on the validation split, and the registered spec then holds what was decided. Every path that
 * runs a version (prediction, serving, evaluation, compression's gate) goes through {@link #predict}, so the
 * accuracy a version reports is the accuracy it serves.
 */
public enum TestTimeAugmentation {
    /** The sample as it is. */
    NONE("none"),
    /** The average of the outputs for the image and for its mirror image (the last axis reversed). */
    HORIZONTAL_FLIP("horizontal_flip"),
    /** To be decided when training ends, on the validation split; predicts as {@link #NONE} until then. */
    AUTO("auto");

    /** Runs a model on {@code count} samples packed end to end and answers one output row per sample. */
    @FunctionalInterface
    public interface Model {
        float[][] run(float[] features, int count);
    }

    private final String wireName;

    TestTimeAugmentation(String wireName) {
        this.wireName = wireName;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String wireName() {
        return wireName;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    static TestTimeAugmentation fromJson(String wire) {
        return parse(wire, "test_time_augmentation");
    }

    public static TestTimeAugmentation parse(String value, String where) {
        for (TestTimeAugmentation t : values()) {
            if (t.wireName.equals(value)) return t;
        }
        throw new UserException("invalid_spec", where + ": \"test_time_augmentation\" '" + value + "' must be one of"
                + " none, horizontal_flip or auto");
    }

    /** The outputs of {@code model} for {@code count} samples of {@code sampleShape}, with this augmentation. */
    public float[][] predict(float[] features, long[] sampleShape, int count, Model model) {
        if (this != HORIZONTAL_FLIP) return model.run(features, count);
        // the images and their mirror images in one call: one engine call and one pass of the weights instead of
        // two, which is most of the cost of a single image (docs/BENCHMARKS.md)
        float[] both = Arrays.copyOf(features, 2 * features.length);
        mirror(features, sampleShape, both, features.length);
        float[][] outputs = model.run(both, 2 * count);
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < outputs[i].length; k++) outputs[i][k] = (outputs[i][k] + outputs[count + i][k]) / 2;
        }
        return Arrays.copyOf(outputs, count);
    }

    /** The samples with their last axis (an image's width) reversed. */
    public static float[] mirrored(float[] features, long[] sampleShape) {
        float[] out = new float[features.length];
        mirror(features, sampleShape, out, 0);
        return out;
    }

    private static void mirror(float[] features, long[] sampleShape, float[] into, int offset) {
        int width = (int) sampleShape[sampleShape.length - 1];
        int rows = features.length / width;
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int x = 0; x < width; x++) into[offset + base + x] = features[base + width - 1 - x];
        }
    }

    /** Refuses this augmentation for a spec whose {@code input} is not images (channels, height, width). */
    void requireImages(List<Integer> input, String origin) {
        if (this != NONE && input.size() != 3) {
            throw new UserException("invalid_spec", origin + ": \"test_time_augmentation\" '" + wireName + "' mirrors"
                    + " images; this spec's input " + input + " is not [channels, height, width]; leave it out");
        }
    }

    @Override
    public String toString() {
        return wireName;
    }
}
