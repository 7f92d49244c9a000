package io.moxing.console;

/**
 * A console request refused or failed: shown as an error page to a browser, or as {@code {"error": {"code",
 * "message"}}} to the console's own scripts (which ask for JSON).
 */
final class ConsoleError extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    ConsoleError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    ConsoleError(int status, String code, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The same answer for anything that is not the caller's, or does not exist: the two must look alike. */
    static ConsoleError notFound(String what) {
        return new ConsoleError(404, "not_found", "no " + what + " here");
    }
}
