package io.moxing.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.moxing.drift.InputDrift;
import io.moxing.drift.InputReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** The server's metrics, scraped from {@code GET /metrics} in Prometheus' text format. */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // meters are looked up once per series: building and registering one per request cost more than the request
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    private final Map<String, Timer> batchLatencies = new ConcurrentHashMap<>();
    private final Map<String, Counter> modelCpu = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Number>> gauges = new ConcurrentHashMap<>();
    private final Map<String, InputDrift> drifts = new ConcurrentHashMap<>();

    public void request(String model, int status, long nanos) {
        requests.computeIfAbsent(model + "\u0000" + status, k -> Counter.builder("moxing_requests")
                .description("Requests by model and HTTP status (499: the client left before its answer could be written)")
                .tag("model", model).tag("status", Integer.toString(status)).register(registry)).increment();
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

    /**
     * Adds {@code nanos} to {@code moxing_model_cpu_seconds_total}: the CPU time that the threads running
     * {@code model}'s batches spent inside the model call, from the packed batch to its output rows (the engine's
     * tensor, the forward pass, the output head; packing the requests' rows together is not in it). On one intra-op
     * thread that is all of the model's CPU time; on several, the engine's other threads are not in it. What the server spent per request outside the model is its CPU time less this
     * ({@code moxing bench serve}), both from the same minutes of the same process.
     */
    public void modelCpu(String model, long nanos) {
        modelCpu.computeIfAbsent(model, k -> Counter.builder("moxing_model_cpu_seconds").description("CPU time of the"
                + " batch threads inside the model call (all of the model's on one intra-op thread)").tag("model", model)
                .register(registry)).increment(nanos / 1e9);
    }

    /**
     * Counts predicted rows of a classifier served as {@code model} by class index, as its outputs are
     * ordered: each row counts under its class, the distribution an operator watches for drift (a model that
     * suddenly answers one class far more often than it used to). Made once per loaded target, so the batch
     * path only increments.
     */
    public IntConsumer predictedClasses(String model, List<String> classes) {
        Counter[] counters = new Counter[classes.size()];
        for (int i = 0; i < counters.length; i++) {
            // Micrometer hands back the counter already registered for the same name and tags
            counters[i] = Counter.builder("moxing_predicted_class").description("Predicted rows by model and class")
                    .tag("model", model).tag("class", classes.get(i)).register(registry);
        }
        return i -> counters[i].increment();
    }

    /**
     * The input-drift counts of version {@code version} served as {@code model}, made on first use from
     * {@code reference} (null when there is none: then no drift metrics, and null) and shared by every target
     * serving that version: {@code moxing_input_psi} (the population-stability index of the rows served since
     * against the training data) and {@code moxing_input_bin_rows_total} (the rows per bin of the per-sample
     * mean input value, whose training shares are about 10% each).
     */
    public InputDrift inputDrift(String model, int version, Supplier<InputReference> reference) {
        return drifts.computeIfAbsent(model + "\u0000" + version, k -> {
            InputReference r = reference.get();
            if (r == null) return null;
            InputDrift drift = new InputDrift(r);
            String v = Integer.toString(version);
            Gauge.builder("moxing_input_psi", drift, InputDrift::index).description("Population-stability index of the"
                    + " per-sample mean input value served since load against the training data (< 0.1 stable, 0.1-0.25"
                    + " moderate shift, > 0.25 shifted; NaN before the first row)").tag("model", model).tag("version", v)
                    .strongReference(true).register(registry);
            for (int b = 0; b < drift.bins(); b++) {
                int bin = b;
                FunctionCounter.builder("moxing_input_bin_rows", drift, d -> d.rows(bin)).description("Served rows by decile"
                        + " bin of the training data's per-sample mean input value (0 lowest)").tag("model", model)
                        .tag("version", v).tag("bin", Integer.toString(bin)).register(registry);
            }
            return drift;
        });
    }

    /**
     * Reports {@code depth} as the queue depth of {@code target}. A target reloaded under the same name
     * (new version or settings) replaces the supplier: Micrometer keeps the first gauge registered for a
     * series, so the gauge reads through this map rather than holding the first supplier.
     */
    public void queueDepth(String target, Supplier<Number> depth) {
        gauge("moxing_queue_depth", "Requests waiting for a batch", target, depth);
    }

    public void modelLoaded(String target, double seconds) {
        gauge("moxing_model_load_seconds", "Time to load a deployed model", target, () -> seconds);
    }

    private void gauge(String name, String description, String target, Supplier<Number> value) {
        String key = name + "\u0000" + target;
        boolean fresh = gauges.put(key, value) == null;
        if (fresh) {
            Gauge.builder(name, () -> gauges.get(key).get()).description(description).tag("model", target)
                    .strongReference(true).register(registry);
        }
    }

    /**
     * The counters now, read from the registry's own meters (the same figures {@code /metrics} shows): requests,
     * their latency histogram, batches and the rows in them, and the queues' depth.
     */
    public MetricsSnapshot snapshot() {
        long count = 0;
        for (Counter c : requests.values()) count += (long) c.count();
        SortedMap<Double, Long> buckets = new TreeMap<>();
        for (Timer t : latencies.values()) {
            // every latency timer has the same bounds (same expected range), so buckets add up by bound
            for (CountAtBucket b : t.takeSnapshot().histogramCounts()) {
                buckets.merge(b.bucket(TimeUnit.SECONDS), (long) b.count(), Long::sum);
            }
        }
        long batches = 0;
        double rows = 0;
        for (DistributionSummary d : batchSizes.values()) {
            batches += d.count();
            rows += d.totalAmount();
        }
        double depth = 0;
        for (Map.Entry<String, Supplier<Number>> g : gauges.entrySet()) {
            if (g.getKey().startsWith("moxing_queue_depth\u0000")) depth += g.getValue().get().doubleValue();
        }
        return new MetricsSnapshot(System.currentTimeMillis(), count, buckets, batches, rows, depth);
    }

    public String scrape() {
        return registry.scrape();
    }
}
