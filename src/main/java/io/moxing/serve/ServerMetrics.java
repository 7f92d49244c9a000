package io.moxing.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The server's metrics, scraped from {@code GET /metrics} in Prometheus' text format. */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // meters are looked up once per series: building and registering one per request cost more than the request
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    private final Map<String, Timer> batchLatencies = new ConcurrentHashMap<>();

    public void request(String model, int status, long nanos) {
        requests.computeIfAbsent(model + "\u0000" + status, k -> Counter.builder("moxing_requests")
                .description("Requests by model and HTTP status").tag("model", model).tag("status", Integer.toString(status))
                .register(registry)).increment();
        latencies.computeIfAbsent(model, k -> Timer.builder("moxing_request_latency").description("Request latency")
                .tag("model", model).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void batch(String model, int size, long nanos) {
        batchSizes.computeIfAbsent(model, k -> DistributionSummary.builder("moxing_batch_size")
                .description("Requests run together in one batch").tag("model", model).publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(4096.0).register(registry)).record(size);
        batchLatencies.computeIfAbsent(model, k -> Timer.builder("moxing_batch_latency").description("Time to run one batch")
                .tag("model", model).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void queueDepth(String model, Supplier<Number> depth) {
        Gauge.builder("moxing_queue_depth", depth).description("Requests waiting for a batch").tag("model", model)
                .strongReference(true).register(registry);
    }

    public void modelLoaded(String model, double seconds) {
        Gauge.builder("moxing_model_load_seconds", () -> seconds).description("Time to load a deployed model")
                .tag("model", model).strongReference(true).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
