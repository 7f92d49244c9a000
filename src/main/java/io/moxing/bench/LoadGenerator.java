package io.moxing.bench;

import io.moxing.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop HTTP load generator, run as its own process by {@code moxing bench serve} so that the
 * client's work is not counted against the server: {@code CONCURRENCY} clients each send the same
 * request and wait for its answer, until {@code COUNT} requests have been sent. Prints one JSON line:
 * throughput, latency percentiles and the number of non-200 answers.
 *
 * <p>Usage: {@code java -cp moxing.jar io.moxing.bench.LoadGenerator URL CONTENT_TYPE BODY_FILE|- COUNT CONCURRENCY}
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String contentType = args[1];
        // "-" as the body file sends GETs: the server's cheapest route, for the HTTP ceiling
        byte[] body = args[2].equals("-") ? null : Files.readAllBytes(Path.of(args[2]));
        int count = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = body == null ? HttpRequest.newBuilder(url).GET().build()
                : HttpRequest.newBuilder(url).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        // warm the connections and the server's code paths before timing
        for (int i = 0; i < Math.min(50, count); i++) http.send(request, HttpResponse.BodyHandlers.discarding());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long[] latencies = new long[count];
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            running.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long t = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t;
                }
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        Arrays.sort(latencies);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("requests", count);
        result.put("concurrency", concurrency);
        result.put("seconds", seconds);
        result.put("throughput", count / seconds);
        result.put("p50_ms", latencies[count / 2] / 1e6);
        result.put("p99_ms", latencies[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)] / 1e6);
        result.put("errors", errors.get());
        System.out.println(Json.line(result));
    }
}
