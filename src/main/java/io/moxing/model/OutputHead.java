package io.moxing.model;

/**
 * The final activation, kept out of the trained network when the loss fuses it (softmax into
 * cross-entropy, sigmoid into binary cross-entropy) for numerical stability, and applied at prediction.
 */
public enum OutputHead {
    NONE,
    SOFTMAX,
    SIGMOID
}
