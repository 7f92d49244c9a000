package io.moxing.deploy;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses which target of a deployment answers a request, in proportion to the targets' weights,
 * independently per request (so the shares hold for any interleaving of clients).
 */
public final class TrafficSplit {
    private TrafficSplit() {}

    public static <T> T choose(List<T> targets, java.util.function.ToIntFunction<T> weight) {
        // most deployments have one version: no sum and no draw for every request (they showed in the serving profile)
        if (targets.size() == 1) return targets.get(0);
        int total = targets.stream().mapToInt(weight).sum();
        if (total <= 0) {
            return targets.get(0);
        }
        int draw = ThreadLocalRandom.current().nextInt(total);
        for (T t : targets) {
            draw -= weight.applyAsInt(t);
            if (draw < 0) return t;
        }
        return targets.get(targets.size() - 1);
    }
}
