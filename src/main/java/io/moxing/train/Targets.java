package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.moxing.model.ModelSpec;

/**
 * What the labels are to the loss, and how a prediction is counted correct: class indices for
 * cross-entropy (arg-max of the logits), 0/1 targets for binary cross-entropy (a logit above zero),
 * plain values for regression losses (no accuracy).
 */
public enum Targets {
    CLASS_INDEX,
    BINARY,
    VALUE,
    /** A language model's: the next token at every position; scored by perplexity, not accuracy. */
    NEXT_TOKEN;

    public static Targets of(ModelSpec spec) {
        if (spec.isLanguageModel()) {
            return NEXT_TOKEN;
        }
        return switch (spec.loss()) {
            case "cross_entropy" -> CLASS_INDEX;
            case "binary_cross_entropy" -> BINARY;
            default -> VALUE;
        };
    }

    public boolean hasAccuracy() {
        return this == CLASS_INDEX || this == BINARY;
    }

    /** One label per sample as the loss wants it: int64 (n) for class indices, float (n, 1) otherwise. */
    NDArray labels(NDManager manager, float[] labels) {
        if (this == CLASS_INDEX) {
            try (NDArray floats = manager.create(labels, new Shape(labels.length))) {
                return floats.toType(DataType.INT64, false);
            }
        }
        return manager.create(labels, new Shape(labels.length, 1));
    }

    /** How many of the batch's predictions are right. */
    public long correct(NDArray output, NDArray labels) {
        return switch (this) {
            case CLASS_INDEX -> output.argMax(-1).eq(labels).countNonzero().getLong();
            // binary cross-entropy always sees logits, so the decision threshold is 0
            case BINARY -> output.gt(0f).eq(labels.gt(0.5f)).countNonzero().getLong();
            case VALUE, NEXT_TOKEN -> 0;
        };
    }
}
