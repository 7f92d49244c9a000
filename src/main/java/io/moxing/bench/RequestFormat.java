package io.moxing.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One way of sending the bench image to the server, with the client that loads the server with it: wrk
 * for the HTTP formats ({@link HttpFormat}); the gRPC format ({@link GrpcFormat}) brings its own client.
 */
interface RequestFormat {
    /** The format's name in the JSON: {@code overhead_us_KEY}. */
    String key();

    /** The format's name in the table. */
    String label();

    /**
     * The bare request of this format's protocol, measured the same way and subtracted from its CPU: empty for HTTP's,
     * a health check ({@code GET /v2/health/live}).
     */
    default Optional<RequestFormat> bare() {
        return Optional.empty();
    }

    /** Sends one request: empty when the server answered it with success, else why this format cannot be measured. */
    Optional<Refusal> probe(ServerProcess server) throws IOException, InterruptedException;

    /** {@code count} requests from {@code connections} concurrent clients in a separate process. */
    LoadResult load(ServerProcess server, int count, int connections, Path scratch) throws IOException;

    /** Why a format was not measured, and how its refusal counts. */
    record Refusal(String reason, Kind kind) {
        enum Kind {
            /** The server answered 4xx: it does not take this format (yet); counted apart from {@code errors}. */
            UNSUPPORTED,
            /** The server answered 5xx or not at all: a failure, counted in {@code errors}. */
            FAILED
        }
    }
}
