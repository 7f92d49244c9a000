package io.moxing.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;

/**
 * Random image transformations applied to the training stream only, as Keras' ImageDataGenerator
 * defines them: rotation in degrees, shifts as fractions of width and height, shear in degrees, zoom
 * as a fraction (each axis drawn from [1 - zoom, 1 + zoom]), horizontal flips, and points outside the
 * image filled from the nearest edge.
 */
public record AugmentationSpec(
        double rotation,
        @JsonProperty("width_shift") double widthShift,
        @JsonProperty("height_shift") double heightShift,
        double shear,
        double zoom,
        @JsonProperty("horizontal_flip") boolean horizontalFlip,
        String fill) {

    public AugmentationSpec {
        if (rotation < 0 || rotation > 180 || widthShift < 0 || widthShift >= 1 || heightShift < 0 || heightShift >= 1
                || shear < 0 || shear > 90 || zoom < 0 || zoom >= 1) {
            throw new UserException("invalid_spec", "training.augmentation: rotation must be 0-180 degrees, shifts and zoom"
                    + " fractions in [0, 1), shear 0-90 degrees (e.g. {\"rotation\": 40, \"width_shift\": 0.2, \"zoom\": 0.2})");
        }
        fill = fill == null ? "nearest" : fill;
        if (!fill.equals("nearest")) {
            throw new UserException("invalid_spec", "training.augmentation.fill '" + fill + "' is not supported; use nearest");
        }
    }
}
