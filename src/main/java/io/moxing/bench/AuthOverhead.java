package io.moxing.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

/**
 * What authentication, rate limiting and metering add to a prediction's median latency: one client
 * sends the same request to two servers of the same deployment, one open and one with the business
 * layer on, in alternating rounds (so that the machine's drift hits both alike), and the medians of all
 * latencies are compared.
 */
final class AuthOverhead {
    private AuthOverhead() {}

    record Result(double openP50Ms, double authP50Ms, double overheadMs, int requestsEach, int errors) {}

    static Result measure(String openUrl, String authUrl, String key, String contentType, byte[] body, int rounds, int perRound)
            throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest open = request(openUrl, contentType, body, null);
        HttpRequest auth = request(authUrl, contentType, body, key);
        // warm-up of both paths (JIT, connections, the meter's first commits)
        int errors = 0;
        for (int i = 0; i < 300; i++) {
            send(http, open);
            send(http, auth);
        }
        long[] openNanos = new long[rounds * perRound];
        long[] authNanos = new long[rounds * perRound];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < perRound; i++) {
                long t = send(http, open);
                if (t < 0) errors++;
                openNanos[r * perRound + i] = Math.abs(t);
            }
            for (int i = 0; i < perRound; i++) {
                long t = send(http, auth);
                if (t < 0) errors++;
                authNanos[r * perRound + i] = Math.abs(t);
            }
        }
        double openP50 = median(openNanos) / 1e6;
        double authP50 = median(authNanos) / 1e6;
        return new Result(openP50, authP50, authP50 - openP50, rounds * perRound, errors);
    }

    private static HttpRequest request(String url, String contentType, byte[] body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return b.build();
    }

    /** The request's latency in nanoseconds, negative when it did not answer 200. */
    private static long send(HttpClient http, HttpRequest request) throws IOException {
        long start = System.nanoTime();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            long nanos = System.nanoTime() - start;
            return status == 200 ? nanos : -nanos;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
