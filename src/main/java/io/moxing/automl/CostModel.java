package io.moxing.automl;

import java.util.List;

/**
 * How long a step of the search is expected to take, from what earlier steps measured: a promotion at
 * the trial's own seconds per epoch; a new trial at the median seconds per epoch per forward FLOP of
 * the trials so far, times its FLOPs (but never less than the cheapest epoch seen: small models are
 * dominated by per-batch overhead, not arithmetic). Before any measurement a step is expected to take nothing,
 * so a search always starts one.
 */
final class CostModel {
    private CostModel() {}

    static double newTrial(List<Trial> trials, long forwardFlops, int epochs) {
        double[] perFlop = measured(trials).mapToDouble(t -> t.secondsPerEpoch() / Math.max(1, t.forwardFlops())).sorted()
                .toArray();
        if (perFlop.length == 0) return 0;
        double cheapest = measured(trials).mapToDouble(Trial::secondsPerEpoch).min().orElse(0);
        return Math.max(cheapest, perFlop[perFlop.length / 2] * forwardFlops) * epochs;
    }

    static double promotion(Trial trial, int toEpochs) {
        return trial.secondsPerEpoch() * Math.max(0, toEpochs - trial.epochs());
    }

    /**
     * What finishing {@code leader} would cost: its missing epochs, and half an epoch's time for the
     * test evaluation and the registration.
     */
    static double finish(Trial leader, int maxEpochs) {
        if (leader == null || Double.isNaN(leader.secondsPerEpoch())) return 0;
        return leader.secondsPerEpoch() * (Math.max(0, maxEpochs - leader.epochs()) + 0.5);
    }

    private static java.util.stream.Stream<Trial> measured(List<Trial> trials) {
        return trials.stream().filter(t -> !t.rungs().isEmpty() && t.epochs() > 0 && t.secondsPerEpoch() > 0);
    }
}
