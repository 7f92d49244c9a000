package io.moxing.cli;

import io.moxing.core.Json;
import java.io.PrintStream;

/**
 * How commands print: human text on stdout, progress on stderr, and with {@code --json} the result
 * as one JSON object on the last line of stdout.
 */
final class Output {
    private final PrintStream out;
    private final boolean json;

    Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    void line(String text) {
        out.println(text);
    }

    void line(String format, Object... args) {
        out.println(String.format(format, args));
    }

    /** Prints the result object as the last line when --json was given. */
    void result(Object value) {
        if (json) {
            out.println(Json.line(value));
        }
        out.flush();
    }
}
