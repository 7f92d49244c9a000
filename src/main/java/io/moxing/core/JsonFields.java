package io.moxing.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Typed fields of a JSON request body (admin API, deployment requests): a missing required field or a
 * field of the wrong type is a {@link UserException} naming the field, which the HTTP layer answers 400.
 */
public final class JsonFields {
    private JsonFields() {}

    public static String text(JsonNode body, String field, boolean required) {
        JsonNode v = present(body, field, required);
        if (v == null) return null;
        if (!v.isTextual()) throw new UserException("invalid_field", "field \"" + field + "\" must be a string");
        return v.asText();
    }

    public static Integer integer(JsonNode body, String field) {
        JsonNode v = present(body, field, false);
        if (v == null) return null;
        if (!v.isIntegralNumber()) throw new UserException("invalid_field", "field \"" + field + "\" must be an integer");
        return v.asInt();
    }

    public static Double number(JsonNode body, String field) {
        JsonNode v = present(body, field, false);
        if (v == null) return null;
        if (!v.isNumber()) throw new UserException("invalid_field", "field \"" + field + "\" must be a number");
        return v.asDouble();
    }

    /** An amount, as a JSON string ("12.50") or number, read exactly, never through a double. */
    public static BigDecimal decimal(JsonNode body, String field, boolean required) {
        JsonNode v = present(body, field, required);
        if (v == null) return null;
        try {
            return new BigDecimal(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new UserException("invalid_field", "field \"" + field + "\" must be a decimal amount such as \"12.50\"");
        }
    }

    private static JsonNode present(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new UserException("missing_field", "field \"" + field + "\" is required");
            return null;
        }
        return v;
    }
}
