package io.moxing.predict;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.UserException;

/**
 * Numbers in JSON, flat or nested in row-major order, read straight into a float array: no boxed list in
 * between, and a refused value is named by its place, e.g. {@code inputs[0].data[3]}.
 */
public final class JsonTensor {
    private JsonTensor() {}

    /** How many values {@code node} holds: 1 for anything but an array, the sum over its elements for an array. */
    public static long count(JsonNode node) {
        if (!node.isArray()) return 1;
        long n = 0;
        for (JsonNode element : node) n += count(element);
        return n;
    }

    /**
     * Writes the values of {@code node} (exactly {@code out.length}, as {@link #count} said) into {@code out},
     * each read as {@code type}; a value {@code type} cannot hold is a {@link UserException} naming it as
     * {@code source[i][j]...}.
     */
    public static void fill(JsonNode node, TensorType type, float[] out, String source) {
        try {
            fill(node, type, out, 0);
        } catch (Misplaced e) {
            throw new UserException(e.refusal.code(), source + e.path + ": " + e.refusal.getMessage());
        }
    }

    private static int fill(JsonNode node, TensorType type, float[] out, int at) {
        if (!node.isArray()) {
            try {
                out[at] = type.fromJson(node);
            } catch (UserException e) {
                throw new Misplaced(e);
            }
            return at + 1;
        }
        for (int i = 0; i < node.size(); i++) {
            try {
                at = fill(node.get(i), type, out, at);
            } catch (Misplaced e) {
                e.path.insert(0, "[" + i + "]");
                throw e;
            }
        }
        return at;
    }

    /** A refused value on its way up the nesting, collecting its indices; only ever built on the error path. */
    private static final class Misplaced extends RuntimeException {
        final UserException refusal;
        final StringBuilder path = new StringBuilder();

        Misplaced(UserException refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }
    }
}
