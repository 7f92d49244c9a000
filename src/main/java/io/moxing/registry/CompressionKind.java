package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.moxing.core.UserException;
import java.util.Arrays;

/**
 * How a version was made smaller from another: the methods of {@code moxing compress}. Stored in provenance by
 * its wire name ({@code "prune"}), which is also what the command line takes.
 */
public enum CompressionKind {
    /** Whole convolution filters and dense units removed by L1 norm, then a short fine-tune. */
    PRUNE("prune"),
    /** A smaller spec trained on the original's softened outputs and the labels. */
    DISTILL("distill"),
    /** Weights stored as int8 with a float scale per output channel, dequantised to fp32 at load. */
    INT8("int8"),
    /**
     * The network exported to ONNX with int8 weights and uint8 activations calibrated on training samples, run by
     * ONNX Runtime's integer kernels: smaller and faster.
     */
    ONNX_INT8("onnx-int8"),
    /** Parameters and inputs in bfloat16 (measured; nothing is registered while it breaks or is slower). */
    BF16("bf16");

    private final String wireName;

    CompressionKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The kind named {@code name}, or a message listing the kinds. */
    @JsonCreator
    public static CompressionKind parse(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new UserException("invalid_option", "--method " + name + " is not a compression method;"
                        + " use one of prune, distill, int8, onnx-int8, bf16 (e.g. --method onnx-int8)"));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
