package io.moxing.http;

import io.moxing.core.UserException;

/**
 * How the server listens and protects itself.
 *
 * @param maxBodyBytes  largest request body accepted (413 above); also the largest gRPC message
 * @param timeoutMs     a request not answered in this time gets 504
 * @param queueCapacity requests that may wait per deployment target before 503 + Retry-After
 * @param pollMs        how often deployments are re-read from the database (the CLI and other nodes change them)
 * @param grpcPort      port of the Open Inference Protocol's gRPC endpoint on the same host: -1 for none, 0 for any free one
 */
public record ServeOptions(String host, int port, long maxBodyBytes, int timeoutMs, int queueCapacity, int pollMs,
                           int grpcPort) {
    public ServeOptions {
        if (grpcPort < -1 || grpcPort > 65_535) {
            throw new UserException("invalid_grpc_port", "--grpc-port " + grpcPort + " must be -1 (no gRPC), 0 (any free"
                    + " port) or a port from 1 to 65535, e.g. 8081");
        }
    }

    /** HTTP on 8080 and no gRPC: what an in-process server (a benchmark) wants unless it asks for more. */
    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, 10L * 1024 * 1024, 30_000, 1024, 1000, -1);
    }

    public ServeOptions withPort(int newPort) {
        return new ServeOptions(host, newPort, maxBodyBytes, timeoutMs, queueCapacity, pollMs, grpcPort);
    }

    public ServeOptions withGrpcPort(int newGrpcPort) {
        return new ServeOptions(host, port, maxBodyBytes, timeoutMs, queueCapacity, pollMs, newGrpcPort);
    }
}
