package io.moxing.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Predicate;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps grpc-java's transport from logging a client's mistakes: a frame flagged compressed with no compression
 * agreed or with bytes that are not what was agreed, a bad frame header or a length over the message limit ("Exception processing message" with a stack
 * trace, per call) and a connection without {@code te: trailers} (a warning per connection). The client already
 * gets the status grpc-java gives it; anyone who can reach the port could otherwise fill the log. Only those
 * records are dropped, matched by logger, message and exception, so the transport's own failures still log.
 */
final class ClientMistakeLogs {
    // held here because the LogManager holds loggers weakly: a logger collected before grpc-java loads its class
    // would come back without the filter
    private static final Logger STREAM = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");
    private static final Logger HANDLER = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

    private ClientMistakeLogs() {}

    /** Installs the filters once per JVM, keeping any filter already on those loggers. */
    static synchronized void quiet() {
        install(STREAM, ClientMistakeLogs::badFrame);
        install(HANDLER, r -> r.getMessage() != null && r.getMessage().startsWith("Expected header TE: "));
    }

    private static void install(Logger logger, Predicate<LogRecord> clientMistake) {
        Filter previous = logger.getFilter();
        if (previous instanceof Dropping) return;
        logger.setFilter(new Dropping(clientMistake, previous));
    }

    /**
     * What the deframer throws for the frame's own faults: INTERNAL for its header, RESOURCE_EXHAUSTED for its
     * length, INVALID_ARGUMENT (from {@link CheckedGzip}) for compressed bytes that are not gzip.
     */
    private static boolean badFrame(LogRecord r) {
        if (!"Exception processing message".equals(r.getMessage()) || !(r.getThrown() instanceof StatusRuntimeException e)) {
            return false;
        }
        Status.Code code = e.getStatus().getCode();
        return code == Status.Code.INTERNAL || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.INVALID_ARGUMENT;
    }

    private record Dropping(Predicate<LogRecord> clientMistake, Filter previous) implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return !clientMistake.test(record) && (previous == null || previous.isLoggable(record));
        }
    }
}
