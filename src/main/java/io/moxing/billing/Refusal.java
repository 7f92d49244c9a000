package io.moxing.billing;

/**
 * A request admission turns away, with what the caller needs to know: which rule, and for limits how
 * long to wait. The HTTP layer maps the reason to 401, 403, 404, 409, 422 or 429.
 */
public final class Refusal extends RuntimeException {
    public enum Reason {
        UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, QUOTA_EXCEEDED,
        /** A request under the same idempotency key is still being served. */
        IDEMPOTENCY_IN_PROGRESS,
        /** The idempotency key was used for a different request. */
        IDEMPOTENCY_REUSED,
        /** The request needs more than the key's limit ever allows at once: waiting cannot help, only a smaller request. */
        OVER_LIMIT
    }

    private final Reason reason;
    private final String code;
    private final long retryAfterSeconds;

    public Refusal(Reason reason, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.reason = reason;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Refusal(Reason reason, String code, String message) {
        this(reason, code, message, 0);
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
