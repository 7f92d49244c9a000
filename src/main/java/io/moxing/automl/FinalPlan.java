package io.moxing.automl;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How a search ends within its budget, from the speeds its trials measured. When trials saw a subset of the
 * training split, the final model is the winner's settings trained again from scratch on all of it, for as
 * many epochs as the time left allows (its learning-rate schedule spans exactly those epochs, so it is
 * annealed when the time is up, not cut off mid-schedule). The search keeps that time back: it stops
 * starting trial steps when the next one and the final training would not both fit.
 *
 * <p>Time is counted in sample-equivalents: an epoch of a trial trains its training samples and then
 * predicts the validation split, at about a third of the cost per sample, so the validation part does not grow
 * with the training set.
 *
 * @param budgetSeconds  the whole search's budget
 * @param trialSamples   training samples a trial sees per epoch
 * @param finalSamples   training samples the final model sees per epoch
 * @param validationSamples samples of the validation split, predicted after every trial epoch
 * @param finalValidationSamples samples predicted after every final epoch: the validation split, or none when the
 *                       final model trains on it
 * @param minEpochs      the fewest epochs worth a final training; a winner that cannot have them is registered
 *                       as its trial trained it
 * @param maxEpochs      the most epochs a final training gets
 */
record FinalPlan(double budgetSeconds, int trialSamples, int finalSamples, int validationSamples,
                 int finalValidationSamples, int minEpochs, int maxEpochs) {

    /**
     * The share of the budget kept back for the final training while no leader says how much it needs (and the most
     * it gets). 0.6 was tried at 60 minutes: 42 final epochs tested 0.9324, where half the budget's 36 gave 0.934
     * (docs/DECISIONS.md).
     */
    static final double FINAL_SHARE = 0.5;
    /** Plans leave this much of the expected time spare: the machine's speed varies between trial and final. */
    static final double MARGIN = 1.15;

    static FinalPlan of(SearchRequest request, SearchData data, int topRungEpochs) {
        int max = request.maxFinalEpochs();
        return new FinalPlan(request.budgetSeconds(), data.trialSamples(), data.finalSamples(), data.validationSamples(),
                data.finalValidationSamples(), Math.max(1, Math.min((topRungEpochs + 1) / 2, max)), max);
    }

    /** Whether the final model is trained again on more samples than the trials saw. */
    boolean retrains() {
        return finalSamples > trialSamples;
    }

    /** Expected seconds of one final epoch of {@code trial}, from its measured trial epochs. */
    double finalEpochSeconds(Trial trial) {
        return finalEpochSeconds(trial.secondsPerEpoch());
    }

    /** Expected seconds of one final epoch of a trial whose epochs on the trials' data take {@code trialEpochSeconds}. */
    double finalEpochSeconds(double trialEpochSeconds) {
        double perSample = trialEpochSeconds / (trialSamples + validationSamples / 3.0);
        return perSample * (finalSamples + finalValidationSamples / 3.0);
    }

    /** The epochs of {@code trial}'s final training that fit in {@code seconds} (with the margin), at most {@link #maxEpochs}. */
    int epochsFitting(Trial trial, double seconds) {
        double epoch = finalEpochSeconds(trial) * MARGIN;
        // the test evaluation and registration: a tenth of an epoch, generously
        return (int) Math.max(0, Math.min(maxEpochs, Math.floor((seconds - 0.1 * epoch) / epoch)));
    }

    /** What the search keeps back for the end while {@code leader} leads: its final training at the most epochs, or the share. */
    double reserve(Trial leader) {
        double share = budgetSeconds * FINAL_SHARE;
        if (leader == null || Double.isNaN(leader.secondsPerEpoch())) return share;
        return Math.min(share, finalEpochSeconds(leader) * MARGIN * (maxEpochs + 0.1));
    }

    /**
     * Whether a trial whose epoch on the trials' data is expected to take {@code trialEpochSeconds} could get
     * {@link #minEpochs} final epochs in the share kept back: larger ones are not worth drawing.
     */
    boolean affordable(double trialEpochSeconds) {
        return trialEpochSeconds <= 0
                || finalEpochSeconds(trialEpochSeconds) * MARGIN * (minEpochs + 0.1) <= budgetSeconds * FINAL_SHARE;
    }

    /**
     * The trial to train again and for how many epochs, given {@code seconds} left; empty when none of
     * {@code ranked} (best first: highest rung, then metric) can have {@link #minEpochs}. The first that can is the
     * reference; with accuracy as the metric, the trials at its rung whose validation accuracy is within one
     * standard error of its own ({@code sqrt(p(1-p)/n)} on n validation samples: 0.39 points at 0.90 on 6,000)
     * are as good as far as the search can tell, and of those the one that can have the most final epochs is
     * taken: Breiman's one-standard-error rule, with training time as the cost. (The first 60-minute search took
     * a leader 0.2 points ahead of two others, at 7 final epochs where they could have had 12 and 22.)
     */
    Optional<Choice> choose(List<Trial> ranked, double seconds, SearchMetric metric) {
        List<Choice> feasible = ranked.stream().map(t -> new Choice(t, epochsFitting(t, seconds)))
                .filter(c -> c.epochs() >= minEpochs).toList();
        if (feasible.isEmpty()) return Optional.empty();
        Choice reference = feasible.get(0);
        if (metric != SearchMetric.ACCURACY || validationSamples <= 0 || reference.trial().lastMetric() == null) {
            return Optional.of(reference);
        }
        double p = reference.trial().lastMetric();
        double floor = p - standardError(p, validationSamples);
        return feasible.stream().filter(c -> c.trial().topRung() == reference.trial().topRung()
                        && c.trial().lastMetric() >= floor)
                .max(Comparator.comparingInt(Choice::epochs).thenComparing(c -> -feasible.indexOf(c)));
    }

    /** The standard error of an accuracy {@code p} measured on {@code n} samples. */
    static double standardError(double p, int n) {
        return Math.sqrt(Math.max(0, p * (1 - p)) / n);
    }

    /** A trial to train again and its epochs. */
    record Choice(Trial trial, int epochs) {}

    static Comparator<Trial> ranking(SearchMetric metric) {
        return Comparator.comparing((Trial t) -> -t.topRung()).thenComparing(Trial::lastMetric, metric::compareBestFirst)
                .thenComparing(Trial::id);
    }
}
