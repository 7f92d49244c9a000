package io.moxing.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.predict.InputDecoder;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP serving speed of a registered image model: the server runs in this process, the load comes from
 * a separate process ({@link LoadGenerator}) on loopback with 1, 16 and 64 concurrent clients, each
 * request one real test image as a multipart upload; the in-process batched throughput of the same
 * model, measured in the same run, is the yardstick.
 */
public final class ServeBenchmark {
    private final MoxingHome home;
    private final PrintStream log;

    public ServeBenchmark(MoxingHome home, PrintStream log) {
        this.home = home;
        this.log = log;
    }

    /** One load level's results, as the load generator measured them. */
    public record Level(int concurrency, int requests, double throughput, @JsonProperty("p50_ms") double p50Ms,
                        @JsonProperty("p99_ms") double p99Ms, int errors, double ratio) {}

    public record Result(String model, String client, @JsonProperty("max_batch") int maxBatch, @JsonProperty("max_delay_ms") int maxDelayMs,
                         int workers, @JsonProperty("in_process_per_second") double inProcessPerSecond, List<Level> levels,
                         @JsonProperty("ratio_64") double ratio64, int errors,
                         @JsonProperty("http_ceiling_64") double httpCeiling64,
                         @JsonProperty("ratio_to_ceiling_64") double ratioToCeiling64,
                         @JsonProperty("open_p50_ms") double openP50Ms, @JsonProperty("auth_p50_ms") double authP50Ms,
                         @JsonProperty("auth_overhead_ms") double authOverheadMs) {}

    public Result run(String modelRef, int requests, int maxBatch, int maxDelayMs, Integer workers) throws IOException {
        ModelRegistry registry = new ModelRegistry(home.models());
        ModelVersion card = registry.card(modelRef);
        if (!"image".equals(card.dataKind())) {
            throw new UserException("invalid_option", card.ref() + " is not an image model; bench serve sends images");
        }
        Path scratch = Files.createTempDirectory("moxing-bench-serve");
        byte[] image = ImageRequests.png(home, card);
        String boundary = "moxingbench";
        Path body = scratch.resolve("body");
        Files.write(body, ImageRequests.multipart(boundary, image));
        double inProcess = inProcessRate(registry.resolve(modelRef), card, image, maxBatch);
        log.printf("in-process batched (batch %d): %,.0f images/s%n", maxBatch, inProcess);
        Database db = Database.open(null, scratch.resolve("bench.db"));
        var deployments = new SqlDeployments(db);
        var target = DeploymentRequests.target(modelRef, "bench", "production", 100, maxBatch, maxDelayMs, workers, registry);
        deployments.put(target);
        List<Level> levels = new ArrayList<>();
        double ceiling;
        AuthOverhead.Result overhead;
        try (ModelServer server = new ModelServer(home, deployments, ServeOptions.defaults().withPort(0)).start()) {
            String url = "http://127.0.0.1:" + server.port() + "/v1/models/bench/predict";
            // warm-up: the JIT compiles the request path before anything is timed
            load(url, "multipart/form-data; boundary=" + boundary, body, Math.max(2000, requests / 4), 16, scratch);
            for (int concurrency : List.of(1, 16, 64)) {
                int n = concurrency == 1 ? Math.max(200, requests / 5) : requests;
                JsonNode r = load(url, "multipart/form-data; boundary=" + boundary, body, n, concurrency, scratch);
                Level level = new Level(concurrency, n, r.get("throughput").asDouble(), r.get("p50_ms").asDouble(),
                        r.get("p99_ms").asDouble(), r.get("errors").asInt(), r.get("throughput").asDouble() / inProcess);
                log.printf("%2d clients: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors%n", concurrency,
                        level.throughput(), level.p50Ms(), level.p99Ms(), level.errors());
                levels.add(level);
            }
            // the most this machine serves of the cheapest route (a health check, no model) with 64 clients
            ceiling = load("http://127.0.0.1:" + server.port() + "/v2/health/live", "", null, requests * 3, 64, scratch)
                    .get("throughput").asDouble();
            log.printf("HTTP ceiling (GET /v2/health/live, 64 clients): %,.0f requests/s%n", ceiling);
            overhead = authOverhead(url, db, boundary, body, requests);
            log.printf("one client, median latency: open %.3f ms, with API key + rate limit + quota + metering %.3f ms:"
                    + " overhead %.3f ms (%d requests each, %d errors)%n", overhead.openP50Ms(), overhead.authP50Ms(),
                    overhead.overheadMs(), overhead.requestsEach(), overhead.errors());
        }
        double at64 = levels.get(levels.size() - 1).throughput();
        return new Result(card.ref(), WrkLoad.available() ? "wrk" : "java", maxBatch, maxDelayMs, target.workers(), inProcess, levels,
                levels.get(levels.size() - 1).ratio(), levels.stream().mapToInt(Level::errors).sum() + overhead.errors(), ceiling,
                at64 / ceiling, overhead.openP50Ms(), overhead.authP50Ms(), overhead.overheadMs());
    }

    /**
     * A second server of the same deployment with the business layer on (a plan whose rate limit and quota
     * are checked on every request but never reached), measured against the open one by one client.
     */
    private AuthOverhead.Result authOverhead(String openUrl, Database db, String boundary, Path body, int requests)
            throws IOException {
        BillingAdmin billing = SqlBilling.open(db);
        Actor bench = new Actor("bench", "local");
        billing.createPlan(bench, Plan.free("bench-unlimited", Long.MAX_VALUE / 2, 1e9, 1_000_000));
        billing.createTenant(bench, "bench", null, "bench-unlimited", System.currentTimeMillis());
        String key = billing.issueKey(bench, "bench", "bench", null, null, null, null, System.currentTimeMillis()).plaintext();
        try (ModelServer guarded = new ModelServer(home, new SqlDeployments(db), ServeOptions.defaults().withPort(0), billing).start()) {
            return AuthOverhead.measure(openUrl, "http://127.0.0.1:" + guarded.port() + "/v1/models/bench/predict", key,
                    "multipart/form-data; boundary=" + boundary, Files.readAllBytes(body), 10, Math.max(100, requests / 100));
        }
    }

    /** Images per second when the same model runs full batches of the same decoded image in this process. */
    private static double inProcessRate(Path versionDir, ModelVersion card, byte[] image, int batch) {
        try (LoadedModel model = LoadedModel.load(versionDir)) {
            float[] sample = InputDecoder.image(image, card, "bench image");
            float[] packed = new float[sample.length * batch];
            for (int i = 0; i < batch; i++) System.arraycopy(sample, 0, packed, i * sample.length, sample.length);
            for (int i = 0; i < 20; i++) model.predict(packed, batch);
            int rounds = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 3_000_000_000L) {
                model.predict(packed, batch);
                rounds++;
            }
            return rounds * (double) batch / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** One load level from a separate process: wrk when installed (scripts/setup --bench), else LoadGenerator. */
    private JsonNode load(String url, String contentType, Path body, int count, int concurrency, Path scratch)
            throws IOException {
        if (WrkLoad.available()) {
            WrkLoad.Measured m = WrkLoad.run(url, contentType, body == null ? null : Files.readAllBytes(body), count,
                    concurrency, scratch);
            return Json.MAPPER.valueToTree(java.util.Map.of("throughput", m.throughput(), "p50_ms", m.p50Ms(),
                    "p99_ms", m.p99Ms(), "errors", m.errors()));
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(), url, contentType,
                body == null ? "-" : body.toString(), Integer.toString(count), Integer.toString(concurrency));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) throw new UserException("bench_failed", "the load generator failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("bench_failed", "interrupted");
        }
        return Json.MAPPER.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    }
}
