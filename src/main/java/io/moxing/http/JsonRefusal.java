package io.moxing.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.moxing.core.Json;
import java.io.IOException;

/**
 * A body that does not parse as JSON, as a 400 a client can act on: where it broke and why, or which of the
 * parser's limits it passed, in our words. Jackson's messages carry its class and feature names and
 * "[Source: REDACTED ...]", and a limit it enforces comes without a location; none of that reaches the client.
 */
final class JsonRefusal {
    private JsonRefusal() {}

    static ApiError of(IOException e) {
        if (e instanceof StreamConstraintsException limit) {
            return new ApiError(400, "json_too_complex", "the body passes a limit of the JSON parser: " + limit(limit)
                    + "; flatten or shorten it");
        }
        if (e instanceof JsonProcessingException parse) {
            var at = parse.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String reason = String.valueOf(parse.getOriginalMessage()).startsWith("Trailing token")
                    ? "more follows the body's JSON value; send exactly one" : reason(parse.getOriginalMessage());
            return new ApiError(400, "invalid_json", "the body is not valid JSON" + where + (reason.isEmpty() ? "" : " (" + reason + ")")
                    + "; numbers must be finite (no NaN or Infinity)");
        }
        return new ApiError(400, "invalid_json", "the body cannot be read as JSON; send UTF-8 JSON");
    }

    /** Which limit was passed, recognised from Jackson's message, stated with its value. */
    private static String limit(StreamConstraintsException e) {
        StreamReadConstraints limits = Json.MAPPER.getFactory().streamReadConstraints();
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Document nesting depth")) {
            return "arrays and objects nest at most " + limits.getMaxNestingDepth() + " deep";
        } else if (message.startsWith("Number value length")) {
            return "a number has at most " + limits.getMaxNumberLength() + " characters";
        } else if (message.startsWith("String value length")) {
            return "a string has at most " + limits.getMaxStringLength() + " characters";
        } else if (message.startsWith("Name length")) {
            return "a field name has at most " + limits.getMaxNameLength() + " characters";
        }
        return "nesting of at most " + limits.getMaxNestingDepth() + ", numbers of at most " + limits.getMaxNumberLength()
                + " characters, strings of at most " + limits.getMaxStringLength();
    }

    /** The first line of Jackson's message, cut before its source locations and feature names. */
    private static String reason(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        for (String internal : new String[] {" (start marker at", "[Source", "`"}) {
            int at = line.indexOf(internal);
            if (at >= 0) line = line.substring(0, at);
        }
        // what is left of "...: enable `SomeFeature` to allow" and of an opened parenthesis
        return line.replaceAll("(: enable)?[\\s:(]*$", "");
    }
}
