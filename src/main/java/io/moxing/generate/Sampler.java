package io.moxing.generate;

import io.moxing.core.UserException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a model's logits. Temperature 0 is greedy decoding (the arg-max);
 * otherwise the logits are divided by the temperature, cut to the {@code topK} most likely tokens
 * and then to the smallest set whose probability reaches {@code topP} (nucleus sampling), and one
 * token is drawn with a seeded generator, so the same seed writes the same text.
 */
public final class Sampler {
    private final double temperature;
    private final int topK;
    private final double topP;
    private final SplittableRandom random;

    public Sampler(double temperature, int topK, double topP, long seed) {
        if (!(temperature >= 0) || temperature > 100) {
            throw new UserException("invalid_option", "--temperature " + temperature + " must be between 0 (greedy) and 100, e.g. 0.8");
        }
        if (topK < 0) {
            throw new UserException("invalid_option", "--top-k " + topK + " must be >= 0 (0: no limit), e.g. 40");
        }
        if (!(topP > 0) || topP > 1) {
            throw new UserException("invalid_option", "--top-p " + topP + " must be in (0, 1], e.g. 0.9");
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    public static Sampler greedy() {
        return new Sampler(0, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public int next(float[] logits) {
        if (isGreedy()) {
            return argMax(logits);
        }
        if (topK == 0 && topP >= 1) {
            return fromAll(logits);
        }
        int keep = topK > 0 ? Math.min(topK, logits.length) : logits.length;
        int[] order = ranked(logits, keep);
        double max = logits[order[0]];
        double[] weights = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp((logits[order[i]] - max) / temperature);
            total += weights[i];
        }
        // nucleus: the most likely tokens until their share reaches top-p (at least one)
        double cumulative = 0;
        int nucleus = 0;
        while (nucleus < keep) {
            cumulative += weights[nucleus] / total;
            nucleus++;
            if (cumulative >= topP) break;
        }
        double draw = random.nextDouble() * cumulative * total;
        for (int i = 0; i < nucleus; i++) {
            draw -= weights[i];
            if (draw <= 0) return order[i];
        }
        return order[nucleus - 1];
    }

    /**
     * The indices of the {@code keep} largest logits, largest first, ties in index order (the order of a
     * stable descending sort). With top-k only k are kept: a pass with a k-long insertion list instead of
     * sorting the whole vocabulary (thousands of entries) for every token.
     */
    static int[] ranked(float[] logits, int keep) {
        if (keep == logits.length) {
            // a primitive sort of (descending logit, index) packed in longs: sorting boxed indices with a comparator
            // took most of a token's time at a vocabulary of 6,000
            long[] keys = new long[logits.length];
            for (int i = 0; i < keys.length; i++) {
                int bits = Float.floatToIntBits(logits[i]);
                int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // ints ordered as the floats are
                keys[i] = ((long) ~ordered << 32) | (i & 0xffffffffL);
            }
            Arrays.sort(keys);
            int[] order = new int[keys.length];
            for (int i = 0; i < order.length; i++) order[i] = (int) keys[i];
            return order;
        }
        int[] best = new int[keep];
        int size = 0;
        for (int i = 0; i < logits.length; i++) {
            if (size == keep && Float.compare(logits[i], logits[best[keep - 1]]) <= 0) continue;
            int at = Math.min(size, keep - 1);
            while (at > 0 && Float.compare(logits[i], logits[best[at - 1]]) > 0) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
            if (size < keep) size++;
        }
        return best;
    }

    /** A draw from the whole distribution (no top-k, no nucleus): no ranking needed, one pass to weigh. */
    private int fromAll(float[] logits) {
        double max = logits[argMax(logits)];
        double[] weights = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            weights[i] = Math.exp((logits[i] - max) / temperature);
            total += weights[i];
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw <= 0) return i;
        }
        return argMax(logits);
    }

    static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
