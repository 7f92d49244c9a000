package io.moxing.http;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.moxing.core.Json;

/**
 * JSON written straight to text, byte for byte what Jackson's UTF-8 generator writes with its default escaping and
 * the project's float setting (read from {@link Json#MAPPER}), for the serving path's answers whose shape is fixed:
 * there the generator's set-up and context checks cost more than the answer itself (profiles in DECISIONS.md).
 * {@code V2CodecTest} and {@code PredictAnswerTest} compare the bytes with the generator's.
 */
final class JsonText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Whether the project's JSON writes floats with Schubfach's digits, read from it so that answers agree with it. */
    private static final boolean FAST_FLOATS = Json.MAPPER.getFactory().isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);

    private JsonText() {}

    /**
     * {@code text} as a JSON string, escaped as Jackson's UTF-8 generator escapes it: {@code "} and {@code \\}, control
     * characters (short forms where JSON has them, else {@code \\u00XX}), and every surrogate as {@code \\uXXXX}, so
     * an emoji goes as its escaped pair and a lone surrogate survives the UTF-8 encoding. Ids, model names and class
     * names seldom need any of it, so that is checked first.
     */
    static void quoted(StringBuilder json, String text) {
        boolean plain = true;
        for (int i = 0; plain && i < text.length(); i++) {
            char c = text.charAt(i);
            plain = c >= ' ' && c != '"' && c != '\\' && !Character.isSurrogate(c);
        }
        json.append('"');
        if (plain) {
            json.append(text);
        } else {
            for (int i = 0; i < text.length(); i++) escaped(json, text.charAt(i));
        }
        json.append('"');
    }

    private static void escaped(StringBuilder json, char c) {
        switch (c) {
            case '"' -> json.append("\\\"");
            case '\\' -> json.append("\\\\");
            case '\b' -> json.append("\\b");
            case '\t' -> json.append("\\t");
            case '\n' -> json.append("\\n");
            case '\f' -> json.append("\\f");
            case '\r' -> json.append("\\r");
            default -> {
                if (c >= ' ' && !Character.isSurrogate(c)) {
                    json.append(c);
                } else {
                    json.append("\\u");
                    for (int shift = 12; shift >= 0; shift -= 4) json.append(HEX[(c >> shift) & 0xF]);
                }
            }
        }
    }

    /** A float as the project's Jackson configuration writes one: its digits (Schubfach there), "NaN" and infinities quoted. */
    static void number(StringBuilder json, float v) {
        String digits = NumberOutput.toString(v, FAST_FLOATS);
        if (Float.isFinite(v)) json.append(digits);
        else json.append('"').append(digits).append('"');
    }
}
