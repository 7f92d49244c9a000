package io.moxing.compress;

import io.moxing.core.UserException;
import io.moxing.model.ModelSpec;
import io.moxing.registry.CompressionKind;

/** A compression method with its settings, checked when made. */
public sealed interface CompressionMethod {

    CompressionKind kind();

    /**
     * Structured pruning: each convolution and dense layer but the output loses {@code ratio} of its filters or
     * units (smallest L1 norm first), then the smaller model is fine-tuned for {@code epochs} on its training data
     * at {@code learningRate} (null: a tenth of the spec's, resolved by {@link #resolvedFor}).
     */
    record Prune(double ratio, int epochs, Double learningRate) implements CompressionMethod {

        /** A fine-tune starts from trained weights: the rate that trained them from scratch would undo part of them. */
        static final double DEFAULT_FINE_TUNE_FACTOR = 0.1;

        public Prune(double ratio, int epochs) {
            this(ratio, epochs, null);
        }

        public Prune {
            if (learningRate != null && !(learningRate > 0 && learningRate < 10)) {
                throw new UserException("invalid_option", "--lr " + learningRate + " must be a positive learning rate, e.g. 1e-4");
            }
            if (!(ratio > 0 && ratio < 1)) {
                throw new UserException("invalid_option", "--ratio " + ratio + " must be between 0 and 1 (the fraction of"
                        + " filters and units removed), e.g. --ratio 0.5");
            }
            if (epochs < 0) {
                throw new UserException("invalid_option", "--epochs " + epochs + " must be 0 (no fine-tune) or more");
            }
        }

        /** The same settings with the fine-tune's learning rate decided for a model trained by {@code spec}. */
        Prune resolvedFor(ModelSpec spec) {
            return learningRate != null ? this
                    : new Prune(ratio, epochs, spec.optimizer().learningRate() * DEFAULT_FINE_TUNE_FACTOR);
        }

        @Override
        public CompressionKind kind() {
            return CompressionKind.PRUNE;
        }
    }

    /**
     * Knowledge distillation into {@code student}: loss = alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T))
     * + (1 - alpha) * cross-entropy(student, label), for {@code epochs} epochs.
     */
    record Distill(ModelSpec student, double temperature, double alpha, int epochs) implements CompressionMethod {
        public Distill {
            if (student == null) {
                throw new UserException("invalid_option", "--method distill needs --student SPEC (a template name or a"
                        + " spec file), e.g. --student examples/compress/cnn-28-small.json");
            }
            if (!(temperature > 0)) {
                throw new UserException("invalid_option", "--temperature " + temperature + " must be positive, e.g. 4");
            }
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new UserException("invalid_option", "--alpha " + alpha + " must be in [0, 1], e.g. 0.7");
            }
            if (epochs < 1) {
                throw new UserException("invalid_option", "--epochs " + epochs + " must be at least 1 for a student");
            }
        }

        @Override
        public CompressionKind kind() {
            return CompressionKind.DISTILL;
        }
    }

    /** Weight-only int8 with a symmetric scale per output channel; dequantised to fp32 at load. */
    record Int8() implements CompressionMethod {
        @Override
        public CompressionKind kind() {
            return CompressionKind.INT8;
        }
    }

    /**
     * Static int8 quantization through ONNX: weights int8 (per output channel for convolutions), activations uint8
     * with ranges calibrated on training samples, run by ONNX Runtime's integer kernels.
     */
    record OnnxInt8() implements CompressionMethod {
        @Override
        public CompressionKind kind() {
            return CompressionKind.ONNX_INT8;
        }
    }

    /** Parameters and inputs in bfloat16, if the engine runs them and it is faster. */
    record Bf16() implements CompressionMethod {
        @Override
        public CompressionKind kind() {
            return CompressionKind.BF16;
        }
    }
}
