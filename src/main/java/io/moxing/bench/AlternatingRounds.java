package io.moxing.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Timed rounds of ours and the baseline's, alternating on the same machine so that its swings hit both
 * sides alike, and the baseline also run alone (a fresh process, ours idle) after each of the first three
 * rounds, so that a baseline handicapped by the alternation shows itself. Each timed chunk is a window of
 * the {@link Contamination} meter.
 */
final class AlternatingRounds {
    /** How many standalone baseline runs the bench takes the median of. */
    static final int STANDALONE_RUNS = 3;

    /** One timed chunk; answers its throughput per second. */
    interface Chunk {
        double run() throws IOException;
    }

    record Outcome(List<Double> ours, List<Double> theirs, List<Double> standalone) {}

    private AlternatingRounds() {}

    /**
     * {@code theirs} and {@code standalone} are null without a baseline; {@code unit} names the figures
     * in the log ("samples/s", "tokens/s").
     */
    static Outcome run(int rounds, Chunk ours, PythonBaseline baseline, Chunk theirs, Chunk standalone,
                       Contamination meter, PrintStream log, String what, String unit) throws IOException {
        List<Double> mine = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            settle();
            meter.begin(-1);
            mine.add(ours.run());
            meter.end();
            String line = String.format("%s round %d/%d: moxing %,.0f %s", what, r + 1, rounds, mine.get(r), unit);
            if (baseline != null) {
                settle();
                meter.begin(baseline.pid());
                other.add(theirs.run());
                meter.end();
                line += String.format(", pytorch %,.0f %s", other.get(r), unit);
                if (alone.size() < STANDALONE_RUNS) {
                    alone.add(standalone.run());
                    line += String.format(" (alone: %,.0f)", alone.get(alone.size() - 1));
                }
            }
            log.println(line);
        }
        while (baseline != null && alone.size() < STANDALONE_RUNS) {
            alone.add(standalone.run());
        }
        return new Outcome(mine, other, alone);
    }

    /** Lets the other side's threads go idle before a timed chunk, so that neither starts on a busy machine. */
    static void settle() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
