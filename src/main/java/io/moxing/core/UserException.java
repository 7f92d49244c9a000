package io.moxing.core;

/**
 * A problem the user can fix: bad input, a missing file, an unknown name. Its message is one line
 * that names the file, line or field, the rule broken and what to do. The CLI prints it without a
 * stack trace; the HTTP layer maps it to a 4xx.
 */
public class UserException extends RuntimeException {
    private final String code;

    public UserException(String code, String message) {
        super(message);
        this.code = code;
    }

    public UserException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A stable snake_case code for scripts and HTTP error bodies. */
    public String code() {
        return code;
    }
}
