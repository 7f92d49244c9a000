package io.moxing.automl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning",
 * 2020), the scheduler of one bracket. Rung k trains a trial to {@code minEpochs * eta^k} epochs (the last
 * rung to {@code maxEpochs}). Whenever the worker is free, the highest rung with a trial in its top
 * {@code 1/eta} that has not been promoted yet promotes it one rung up; when there is none, a new trial
 * starts at rung 0. A trial never promoted has stopped early. No rung waits for a full cohort, so the
 * search can stop at any moment and its state is the rungs' results and the promotions made: nothing
 * else to save for a resume. With one worker (trials run one at a time here) the order of work is that of
 * ASHA with one worker.
 *
 * @param eta       the reduction factor: one in eta trials of a rung is promoted
 * @param minEpochs rung 0's epochs
 * @param maxEpochs the last rung's epochs (R)
 */
public record Asha(int eta, int minEpochs, int maxEpochs) {

    public Asha {
        if (eta < 2 || minEpochs < 1 || maxEpochs < minEpochs) {
            throw new IllegalArgumentException("ASHA needs eta >= 2 and 1 <= min epochs <= max epochs");
        }
    }

    /** The epochs of each rung: 1, 3, 9, … below R, then R (for R = 10: 1, 3, 9, 10). */
    public List<Integer> rungs() {
        List<Integer> epochs = new ArrayList<>();
        for (long e = minEpochs; e < maxEpochs; e *= eta) epochs.add((int) e);
        epochs.add(maxEpochs);
        return epochs;
    }

    /** A promotion: {@code trial} goes from rung {@code rung - 1} to {@code rung}. */
    public record Promotion(String trial, int rung) {}

    /**
     * The next promotion, if any: the best trial of the highest rung that has one in its top 1/eta not
     * yet promoted (nor failed nor training now). Empty means: start a new trial.
     */
    public Optional<Promotion> nextPromotion(List<Trial> trials, List<Promotion> done, SearchMetric metric) {
        return nextPromotion(trials, done, metric, t -> true);
    }

    /**
     * The same, promoting only trials {@code promotable} accepts (a trial the rest of the search could not use,
     * e.g. one too slow to be trained again in the time kept back, keeps its place in the ranking but is not
     * promoted).
     */
    public Optional<Promotion> nextPromotion(List<Trial> trials, List<Promotion> done, SearchMetric metric,
                                             java.util.function.Predicate<Trial> promotable) {
        int top = rungs().size() - 1;
        for (int k = top - 1; k >= 0; k--) {
            int rung = k;
            List<Trial> there = trials.stream().filter(t -> t.reachedRung(rung) && t.metricAt(rung) != null)
                    .sorted(Comparator.comparing((Trial t) -> t.metricAt(rung), metric::compareBestFirst)
                            .thenComparing(Trial::id))
                    .toList();
            Set<String> promoted = new java.util.HashSet<>();
            done.stream().filter(p -> p.rung() == rung + 1).forEach(p -> promoted.add(p.trial()));
            for (Trial t : there.subList(0, there.size() / eta)) {
                if (!promoted.contains(t.id()) && t.status() == Trial.Status.PAUSED && promotable.test(t)) {
                    return Optional.of(new Promotion(t.id(), rung + 1));
                }
            }
        }
        return Optional.empty();
    }

    /** Epochs of rung {@code k}. */
    public int epochsAt(int k) {
        return rungs().get(k);
    }

    /** Whether rung {@code k} is the last (full fidelity). */
    public boolean isLast(int k) {
        return k == rungs().size() - 1;
    }
}
