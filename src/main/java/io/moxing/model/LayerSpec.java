package io.moxing.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.UserException;
import java.util.Iterator;
import java.util.Set;

/**
 * One layer of a spec: its type and its fields as written. Accessors validate and name the field in
 * the message ({@code spec.json: layers[2] (dense): "units" must be a positive integer, e.g. 128}).
 */
public record LayerSpec(int index, String type, ObjectNode fields, String origin) {

    public String where() {
        return origin + ": layers[" + index + "] (" + type + ")";
    }

    public int positiveInt(String field, Integer fallback, String example) {
        JsonNode v = fields.get(field);
        if (v == null || v.isNull()) {
            if (fallback != null) return fallback;
            throw new UserException("invalid_spec", where() + ": \"" + field + "\" is required, e.g. " + example);
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw new UserException("invalid_spec", where() + ": \"" + field + "\" must be a positive integer, e.g. " + example);
        }
        return v.asInt();
    }

    /** A pair such as a kernel size: {@code 3} or {@code [3, 3]}. */
    public int[] pair(String field, int[] fallback, String example) {
        JsonNode v = fields.get(field);
        if (v == null || v.isNull()) {
            if (fallback != null) return fallback;
            throw new UserException("invalid_spec", where() + ": \"" + field + "\" is required, e.g. " + example);
        }
        if (v.isInt() && v.asInt() > 0) {
            return new int[] {v.asInt(), v.asInt()};
        }
        if (v.isArray() && v.size() == 2 && v.get(0).isInt() && v.get(1).isInt() && v.get(0).asInt() > 0
                && v.get(1).asInt() > 0) {
            return new int[] {v.get(0).asInt(), v.get(1).asInt()};
        }
        throw new UserException("invalid_spec", where() + ": \"" + field + "\" must be a positive integer or a pair, e.g. " + example);
    }

    public double fraction(String field, double fallback) {
        JsonNode v = fields.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() >= 1) {
            throw new UserException("invalid_spec", where() + ": \"" + field + "\" must be a number in [0, 1), e.g. 0.5");
        }
        return v.asDouble();
    }

    public String text(String field, String fallback, Set<String> allowed) {
        JsonNode v = fields.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isTextual() || (allowed != null && !allowed.contains(v.asText()))) {
            throw new UserException("invalid_spec", where() + ": \"" + field + "\" must be one of " + allowed);
        }
        return v.asText();
    }

    public boolean flag(String field, boolean fallback) {
        JsonNode v = fields.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) {
            throw new UserException("invalid_spec", where() + ": \"" + field + "\" must be true or false");
        }
        return v.asBoolean();
    }

    /** The registered model version ({@code NAME[:VERSION]}) whose same layer supplies initial weights, or null. */
    public String pretrained() {
        return text("pretrained", null, null);
    }

    /** False when the spec freezes this layer: its parameters keep their values during training. */
    public boolean trainable() {
        return flag("trainable", true);
    }

    /**
     * Rejects fields this layer type does not know, so a typo is an error rather than a silent default.
     * {@code type}, {@code trainable} and {@code pretrained} are known to every layer.
     */
    public void allowOnly(Set<String> known) {
        for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("type") && !f.equals("trainable") && !f.equals("pretrained") && !known.contains(f)) {
                throw new UserException("invalid_spec", where() + ": unknown field \"" + f + "\"; this layer takes " + known);
            }
        }
    }
}
