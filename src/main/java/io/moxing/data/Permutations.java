package io.moxing.data;

import java.util.Random;

/** Seeded Fisher-Yates shuffles: the same seed gives the same order on every machine and JVM. */
public final class Permutations {
    private Permutations() {}

    public static int[] of(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
