package io.moxing.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the server refuses, with the status, a stable code, a message that names the field and says what
 * is expected, and the request field at fault when there is one. Answered over HTTP in OpenAI's error shape,
 * {@code {"error": {"message", "type", "param", "code"}}} (a superset of Moxing's {"code", "message"}, so one
 * writer serves every route and an OpenAI client reads it), with Retry-After when a wait helps; over gRPC as a
 * status with "code: message".
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;
    private final String param;

    public ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** @param retryAfterSeconds how long the client should wait before trying again; 0 when waiting does not help */
    public ApiError(int status, String code, String message, long retryAfterSeconds) {
        this(status, code, message, retryAfterSeconds, null);
    }

    /** @param param the request field at fault (e.g. "messages[1].role"), or null */
    public ApiError(int status, String code, String message, String param) {
        this(status, code, message, 0, param);
    }

    private ApiError(int status, String code, String message, long retryAfterSeconds, String param) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.param = param;
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

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    /** The error body every HTTP route answers with. */
    static Map<String, Object> body(int status, String code, String message, String param) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type(status, code));
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }

    /** OpenAI's error type for a status: what kind of mistake it is, for clients that branch on it. */
    static String type(int status, String code) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            case 429 -> "quota_exceeded".equals(code) ? "insufficient_quota" : "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
