package io.moxing.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;

/** The one place refusals become gRPC status codes; the description is "code: message". */
final class Statuses {
    private Statuses() {}

    static StatusRuntimeException of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Refused r) {
            return code(r.status()).withDescription(r.code() + ": " + r.getMessage()).asRuntimeException();
        }
        System.err.println("gRPC call failed: " + cause);
        return Status.INTERNAL.withDescription("internal: the server failed on this request; it has been logged")
                .asRuntimeException();
    }

    /** The gRPC code of an HTTP status, as the gRPC status-code mapping reads it back. */
    static Status code(int httpStatus) {
        return switch (httpStatus) {
            case 400, 422 -> Status.INVALID_ARGUMENT;
            // too large for the server's limit, not a malformed request: retrying smaller can work
            case 413 -> Status.RESOURCE_EXHAUSTED;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.ABORTED;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            case 504 -> Status.DEADLINE_EXCEEDED;
            default -> Status.INTERNAL;
        };
    }
}
