package io.moxing.console;

import io.moxing.serve.MetricsSnapshot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's figures over the last minutes, as the health page draws them: snapshots of its own Micrometer
 * registry ({@code ServerMetrics.snapshot}) taken when the page asks (at most one per {@link #SAMPLE_MS}; no thread
 * samples while nobody looks), and between each two the request rate, the latency percentiles of the requests
 * answered in between, the mean batch size and the queue depth. An interval nobody watched is a gap in the lines.
 */
final class HealthSeries {
    static final long SAMPLE_MS = 2_000;
    static final int WINDOW_MINUTES = 10;
    private static final long WINDOW_MS = WINDOW_MINUTES * 60_000L;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private final Supplier<MetricsSnapshot> source;
    private final ArrayDeque<MetricsSnapshot> samples = new ArrayDeque<>();

    HealthSeries(Supplier<MetricsSnapshot> source) {
        this.source = source;
    }

    /** Takes a sample if the last is old enough, and draws the window: chart id to chart spec. */
    synchronized Map<String, ChartSpec> charts() {
        MetricsSnapshot now = source.get();
        if (samples.isEmpty() || now.atMs() - samples.peekLast().atMs() >= SAMPLE_MS) samples.addLast(now);
        while (!samples.isEmpty() && samples.peekFirst().atMs() < now.atMs() - WINDOW_MS) samples.removeFirst();
        List<String> times = new ArrayList<>();
        List<Double> rate = new ArrayList<>(), p50 = new ArrayList<>(), p95 = new ArrayList<>(), p99 = new ArrayList<>();
        List<Double> batch = new ArrayList<>(), depth = new ArrayList<>();
        Iterator<MetricsSnapshot> it = samples.iterator();
        MetricsSnapshot before = it.hasNext() ? it.next() : null;
        while (it.hasNext()) {
            MetricsSnapshot after = it.next();
            times.add(CLOCK.format(Instant.ofEpochMilli(after.atMs())));
            if (after.atMs() - before.atMs() > 3 * SAMPLE_MS) {
                // nobody watched in between: a gap, not a line drawn across minutes of unknown traffic
                for (List<Double> s : List.of(rate, p50, p95, p99, batch, depth)) s.add(null);
                before = after;
                continue;
            }
            long answered = after.requests() - before.requests();
            rate.add(answered * 1000.0 / (after.atMs() - before.atMs()));
            p50.add(percentileMs(before, after, 0.50));
            p95.add(percentileMs(before, after, 0.95));
            p99.add(percentileMs(before, after, 0.99));
            long batches = after.batches() - before.batches();
            batch.add(batches == 0 ? null : (after.batchedRows() - before.batchedRows()) / batches);
            depth.add(after.queueDepth());
            before = after;
        }
        ChartSpec.Axis time = ChartSpec.Axis.of("time (UTC)", ChartSpec.CATEGORY);
        List<Double> latencies = new ArrayList<>(p50);
        latencies.addAll(p99);
        return Map.of(
                "health-rate", line(times, time, "requests per second", new ChartSpec.Series("requests/s", rate, null, false)),
                "health-latency", line(times, time, "milliseconds", ChartSpec.scaleOf(latencies),
                        new ChartSpec.Series("p50", p50, null, false), new ChartSpec.Series("p95", p95, null, false),
                        new ChartSpec.Series("p99", p99, null, false)),
                "health-batch", line(times, time, "requests per batch", new ChartSpec.Series("mean batch size", batch, null, true)),
                "health-queue", line(times, time, "waiting requests", new ChartSpec.Series("queue depth", depth, null, false)));
    }

    /**
     * The latency under which {@code q} of the requests answered between two snapshots fell, in milliseconds: the
     * upper bound of the histogram bucket where the cumulative count reaches it (the buckets are Micrometer's, a few
     * percent apart). Null when none were answered.
     */
    static Double percentileMs(MetricsSnapshot before, MetricsSnapshot after, double q) {
        long total = after.requests() - before.requests();
        Long lastAfter = after.latencyCounts().isEmpty() ? null : after.latencyCounts().get(after.latencyCounts().lastKey());
        Long lastBefore = before.latencyCounts().isEmpty() ? 0L : before.latencyCounts().get(before.latencyCounts().lastKey());
        if (lastAfter != null) total = lastAfter - lastBefore;
        if (total <= 0) return null;
        double wanted = q * total;
        for (Map.Entry<Double, Long> b : after.latencyCounts().entrySet()) {
            long inBucketOrBelow = b.getValue() - before.latencyCounts().getOrDefault(b.getKey(), 0L);
            if (inBucketOrBelow >= wanted) return b.getKey() * 1000;
        }
        return after.latencyCounts().lastKey() * 1000;
    }

    private static ChartSpec line(List<String> times, ChartSpec.Axis x, String yTitle, ChartSpec.Series... series) {
        return line(times, x, yTitle, ChartSpec.LINEAR, series);
    }

    private static ChartSpec line(List<String> times, ChartSpec.Axis x, String yTitle, String yScale, ChartSpec.Series... series) {
        return new ChartSpec("line", times, List.of(series), x, ChartSpec.Axis.of(yTitle, yScale));
    }
}
