package io.moxing.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One way of sending the bench image to the server, with the client that loads the server with it: wrk
 * for the HTTP formats ({@link HttpFormat}); a gRPC format brings its own client process.
 */
interface RequestFormat {
    /** The format's name in the JSON: {@code overhead_us_KEY}. */
    String key();

    /** The format's name in the table. */
    String label();

    /** Sends one request: empty when the server answered it with success, else why this format cannot be measured. */
    Optional<Refusal> probe(ServerProcess server) throws IOException, InterruptedException;

    /** {@code count} requests from {@code connections} concurrent clients in a separate process. */
    LoadResult load(ServerProcess server, int count, int connections, Path scratch) throws IOException;

    /** Why a format was not measured, and how its refusal counts. */
    record Refusal(String reason, Kind kind) {
        enum Kind {
            /** The client or the endpoint does not exist yet: nothing was sent, nothing counts. */
            NOT_BUILT,
            /** The server answered 4xx: it does not take this format (yet); counted apart from {@code errors}. */
            UNSUPPORTED,
            /** The server answered 5xx or not at all: a failure, counted in {@code errors}. */
            FAILED
        }
    }

    /** A format whose endpoint or client is still being built: listed, so that its row and its JSON key exist. */
    record NotBuilt(String key, String label, String note) implements RequestFormat {
        @Override
        public Optional<Refusal> probe(ServerProcess server) {
            return Optional.of(new Refusal(note, Refusal.Kind.NOT_BUILT));
        }

        @Override
        public LoadResult load(ServerProcess server, int count, int connections, Path scratch) {
            throw new IllegalStateException(label + ": " + note);
        }
    }
}
