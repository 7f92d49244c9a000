package io.moxing.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;

/**
 * Random image transformations applied to the training stream only, as Keras' ImageDataGenerator
 * defines them: rotation in degrees, shifts as fractions of width and height, shear in degrees, zoom
 * as a fraction (each axis drawn from [1 - zoom, 1 + zoom]), horizontal flips, and points outside the
 * image filled from the nearest edge. Two more from the CIFAR recipes: random crops ({@code crop_padding}
 * pixels of padding on each side, then a crop of the original size at a random place: the ResNet paper's
 * "4 pixels padded, 32x32 crop") and random erasing (Zhong et al. 2017: with probability
 * {@code random_erasing}, a rectangle of 2-33% of the image, aspect 0.3-3.3, set to zero, the mean of
 * normalised data).
 *
 * @param cropPadding   pixels of padding for the random crop, 0 for none
 * @param randomErasing probability of erasing one rectangle of an image, 0 for none
 */
public record AugmentationSpec(
        double rotation,
        @JsonProperty("width_shift") double widthShift,
        @JsonProperty("height_shift") double heightShift,
        double shear,
        double zoom,
        @JsonProperty("horizontal_flip") boolean horizontalFlip,
        String fill,
        @JsonProperty("crop_padding") int cropPadding,
        @JsonProperty("random_erasing") double randomErasing) {

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
        if (cropPadding < 0 || cropPadding > 16) {
            throw new UserException("invalid_spec", "training.augmentation.crop_padding " + cropPadding
                    + " must be a number of pixels from 0 to 16, e.g. 4 (pad by 4, crop back to the image's size)");
        }
        if (!(randomErasing >= 0 && randomErasing <= 1)) {
            throw new UserException("invalid_spec", "training.augmentation.random_erasing " + randomErasing
                    + " must be a probability from 0 to 1, e.g. 0.5");
        }
    }

    /** The affine and flip transformations alone, as before crops and erasing existed. */
    public AugmentationSpec(double rotation, double widthShift, double heightShift, double shear, double zoom,
                            boolean horizontalFlip, String fill) {
        this(rotation, widthShift, heightShift, shear, zoom, horizontalFlip, fill, 0, 0);
    }
}
