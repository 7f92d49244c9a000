package io.moxing.http;

/**
 * A request the server refuses, with the status, a stable code and a message that names the field and
 * says what is expected. Answered as {@code {"error": {"code": ..., "message": ...}}} over HTTP (with
 * Retry-After when a wait helps) and as a status with "code: message" over gRPC.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** @param retryAfterSeconds how long the client should wait before trying again; 0 when waiting does not help */
    public ApiError(int status, String code, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
