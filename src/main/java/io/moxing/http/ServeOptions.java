package io.moxing.http;

/**
 * How the server listens and protects itself.
 *
 * @param maxBodyBytes  largest request body accepted (413 above)
 * @param timeoutMs     a request not answered in this time gets 504
 * @param queueCapacity requests that may wait per deployment target before 503 + Retry-After
 * @param pollMs        how often deployments are re-read from the database (the CLI and other nodes change them)
 */
public record ServeOptions(String host, int port, long maxBodyBytes, int timeoutMs, int queueCapacity, int pollMs) {
    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, 10L * 1024 * 1024, 30_000, 1024, 1000);
    }

    public ServeOptions withPort(int newPort) {
        return new ServeOptions(host, newPort, maxBodyBytes, timeoutMs, queueCapacity, pollMs);
    }
}
