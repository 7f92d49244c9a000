package io.moxing.http;

/**
 * How the server listens and protects itself.
 *
 * @param maxBodyBytes          largest request body accepted (413 above), counted while it is read, whatever its
 *                              transfer encoding
 * @param timeoutMs             a request not answered in this time gets 504
 * @param queueCapacity         rows that may wait per tenant and deployment target before 503 + Retry-After
 * @param pollMs                how often deployments are re-read from the database (the CLI and other nodes change them)
 * @param maxRequestRows        most samples (rows, images) one request may carry (413 above, before any work)
 * @param minBodyBytesPerSecond a body arriving slower than this (after its first second) is cut off with 408
 * @param bodyIdleMs            a body from which nothing arrives for this long is cut off with 408
 * @param bodyBufferBytes       bytes of request bodies that may be buffered at once, over all requests (503 above)
 * @param maxImagePixels        largest image (width x height, read from its header before decoding); 413 above
 * @param grpcPort              port of the Open Inference Protocol's gRPC endpoint; 0 picks a free one, -1 for none
 */
public record ServeOptions(String host, int port, long maxBodyBytes, int timeoutMs, int queueCapacity, int pollMs,
                           int maxRequestRows, long minBodyBytesPerSecond, int bodyIdleMs, long bodyBufferBytes,
                           long maxImagePixels, int grpcPort) {
    public static final int DEFAULT_MAX_REQUEST_ROWS = 1024;

    public ServeOptions {
        if (maxRequestRows < 1 || queueCapacity < 1 || maxBodyBytes < 1 || bodyIdleMs < 1 || minBodyBytesPerSecond < 0
                || maxImagePixels < 1 || grpcPort < -1 || grpcPort > 65535) {
            throw new io.moxing.core.UserException("invalid_option", "--max-request-rows, --queue, --max-body-mb, --body-idle-ms"
                    + " and --max-image-pixels must be at least 1, --min-body-rate at least 0, --grpc-port -1 to 65535");
        }
    }

    /** The given listening and queueing settings with the default request limits, and no gRPC endpoint. */
    public ServeOptions(String host, int port, long maxBodyBytes, int timeoutMs, int queueCapacity, int pollMs) {
        this(host, port, maxBodyBytes, timeoutMs, queueCapacity, pollMs, DEFAULT_MAX_REQUEST_ROWS, 1024, 10_000,
                256L * 1024 * 1024, io.moxing.predict.InputDecoder.DEFAULT_MAX_IMAGE_PIXELS, -1);
    }

    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, 10L * 1024 * 1024, 30_000, 4096, 1000);
    }

    public ServeOptions withPort(int newPort) {
        return new ServeOptions(host, newPort, maxBodyBytes, timeoutMs, queueCapacity, pollMs, maxRequestRows,
                minBodyBytesPerSecond, bodyIdleMs, bodyBufferBytes, maxImagePixels, grpcPort);
    }

    public ServeOptions withMaxRequestRows(int rows) {
        return new ServeOptions(host, port, maxBodyBytes, timeoutMs, queueCapacity, pollMs, rows, minBodyBytesPerSecond,
                bodyIdleMs, bodyBufferBytes, maxImagePixels, grpcPort);
    }

    public ServeOptions withBodyPacing(long minBytesPerSecond, int idleMs) {
        return new ServeOptions(host, port, maxBodyBytes, timeoutMs, queueCapacity, pollMs, maxRequestRows, minBytesPerSecond,
                idleMs, bodyBufferBytes, maxImagePixels, grpcPort);
    }

    public ServeOptions withGrpcPort(int newGrpcPort) {
        return new ServeOptions(host, port, maxBodyBytes, timeoutMs, queueCapacity, pollMs, maxRequestRows, minBodyBytesPerSecond,
                bodyIdleMs, bodyBufferBytes, maxImagePixels, newGrpcPort);
    }

    public ServeOptions withMaxImagePixels(long pixels) {
        return new ServeOptions(host, port, maxBodyBytes, timeoutMs, queueCapacity, pollMs, maxRequestRows, minBodyBytesPerSecond,
                bodyIdleMs, bodyBufferBytes, pixels, grpcPort);
    }
}
