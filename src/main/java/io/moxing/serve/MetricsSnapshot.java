package io.moxing.serve;

import java.util.SortedMap;

/**
 * The server's counters at one moment, summed over its models: what a dashboard needs to draw rates and
 * percentiles over an interval by subtracting two snapshots. Every count is cumulative since the server started.
 *
 * @param atMs          when it was taken
 * @param requests      requests answered (every status)
 * @param latencyCounts requests by latency bucket: upper bound in seconds to the cumulative count at or below it
 * @param batches       batches run
 * @param batchedRows   requests run in those batches (their mean size is batchedRows / batches)
 * @param queueDepth    requests waiting for a batch now, over every loaded target
 */
public record MetricsSnapshot(long atMs, long requests, SortedMap<Double, Long> latencyCounts, long batches,
                              double batchedRows, double queueDepth) {
    public MetricsSnapshot {
        latencyCounts = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(latencyCounts));
    }
}
