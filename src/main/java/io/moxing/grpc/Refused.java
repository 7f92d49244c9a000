package io.moxing.grpc;

/**
 * A call the backend refuses, with an HTTP status (the one the same refusal gets over HTTP), a stable
 * snake_case code and a message that says what to change. {@link Statuses} turns it into a gRPC status.
 */
public final class Refused extends RuntimeException {
    private final int status;
    private final String code;

    public Refused(int status, String code, String message) {
        super(message, null, false, false);
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
