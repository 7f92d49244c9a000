package io.moxing.http;

import io.moxing.core.UserException;
import io.moxing.predict.InputDecoder;

/**
 * How the server listens and protects itself.
 *
 * @param maxBodyBytes    largest request body accepted (413 above)
 * @param timeoutMs       a request not answered in this time gets 504
 * @param queueCapacity   requests that may wait per deployment target before 503 + Retry-After
 * @param pollMs          how often deployments are re-read from the database (the CLI and other nodes change them)
 * @param maxImagePixels  largest image (width x height, read from its header before decoding) accepted (413 above)
 */
public record ServeOptions(String host, int port, long maxBodyBytes, int timeoutMs, int queueCapacity, int pollMs,
                           long maxImagePixels) {
    public ServeOptions {
        if (maxImagePixels < 1) {
            throw new UserException("invalid_option", "the image pixel limit (--max-image-pixels) is " + maxImagePixels
                    + "; give at least 1, e.g. 16777216 (4096x4096)");
        }
    }

    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, 10L * 1024 * 1024, 30_000, 1024, 1000, InputDecoder.DEFAULT_MAX_IMAGE_PIXELS);
    }

    public ServeOptions withPort(int newPort) {
        return new ServeOptions(host, newPort, maxBodyBytes, timeoutMs, queueCapacity, pollMs, maxImagePixels);
    }
}
