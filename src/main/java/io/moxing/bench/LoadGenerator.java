package io.moxing.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * <p>Usage: {@code java -cp moxing.jar io.moxing.bench.LoadGenerator URL CONTENT_TYPE BODY_FILE|- COUNT CONCURRENCY
 * [HEADER:VALUE ...]}
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
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] header = args[i].split(":", 2);
            headers.put(header[0], header[1]);
        }
        HttpRequest request = new HttpFormat("load", "load", "", contentType, body, headers).request(url);
        // warm the connections and the server's code paths before timing
        int warmUp = Math.min(50, count);
        for (int i = 0; i < warmUp; i++) http.send(request, HttpResponse.BodyHandlers.discarding());
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
        result.put("answered", warmUp + count);
        result.put("concurrency", concurrency);
        result.put("seconds", seconds);
        result.put("throughput", count / seconds);
        result.put("p50_ms", latencies[count / 2] / 1e6);
        result.put("p99_ms", latencies[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)] / 1e6);
        result.put("errors", errors.get());
        System.out.println(Json.line(result));
    }

    /** Runs the generator as a child process of this JVM, so that its work is not counted against a server in here. */
    static LoadResult inChildProcess(String url, HttpFormat format, int count, int concurrency, Path scratch)
            throws IOException {
        Path body = null;
        if (format.body() != null) {
            body = scratch.resolve("body-" + format.key());
            Files.write(body, format.body());
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(), url,
                String.valueOf(format.contentType()), body == null ? "-" : body.toString(), Integer.toString(count),
                Integer.toString(concurrency)));
        format.headers().forEach((name, value) -> command.add(name + ":" + value));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) throw new UserException("bench_failed", "the load generator failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("bench_failed", "interrupted");
        }
        JsonNode r = Json.MAPPER.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
        return new LoadResult(r.get("answered").asLong(), r.get("throughput").asDouble(), r.get("p50_ms").asDouble(),
                r.get("p99_ms").asDouble(), r.get("errors").asInt());
    }
}
