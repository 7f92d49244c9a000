package io.moxing.drift;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Served rows counted into the bins of a version's {@link InputReference}, and the population-stability
 * index of those counts against the training shares. Counting a row is a mean, a binary search over the
 * edges and one atomic increment, cheap enough for every row of every batch; the index is computed when read.
 */
public final class InputDrift {
    private final InputReference reference;
    private final AtomicLongArray counts;

    public InputDrift(InputReference reference) {
        this.reference = reference;
        this.counts = new AtomicLongArray(reference.expected().length);
    }

    /** Counts one served row (normalised, as the model takes it). */
    public void observe(float[] row) {
        counts.incrementAndGet(PopulationStability.bin(reference.edges(), InputReference.mean(row)));
    }

    /** The index over every row counted so far; NaN before the first. */
    public double index() {
        return PopulationStability.index(reference.expected(), snapshot());
    }

    public int bins() {
        return counts.length();
    }

    /** Rows counted in {@code bin}. */
    public long rows(int bin) {
        return counts.get(bin);
    }

    private long[] snapshot() {
        long[] out = new long[counts.length()];
        for (int i = 0; i < out.length; i++) out[i] = counts.get(i);
        return out;
    }
}
