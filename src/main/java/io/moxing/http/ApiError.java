package io.moxing.http;

/**
 * A request the server refuses, with the HTTP status, a stable code and a message that names the
 * field and says what is expected. Answered as {@code {"error": {"code": ..., "message": ...}}}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
