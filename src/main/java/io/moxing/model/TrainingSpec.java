package io.moxing.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;

/**
 * How long and how to train. {@code batch_size} 0 means full-batch gradient descent.
 *
 * @param schedule            learning-rate schedule: constant, step, cosine, one_cycle
 * @param warmupEpochs        linear warm-up before the schedule starts (fractional epochs allowed); for one_cycle
 *                            the rising phase (default 30% of the epochs)
 * @param stepEpochs          for the step schedule: epochs between decays
 * @param stepGamma           for the step schedule: the decay factor
 * @param earlyStopPatience   epochs without improvement of the validation metric before stopping; 0 is off
 * @param gradientClip        clip the global gradient norm to this value; 0 is off
 * @param validationFraction  share of the training split held out when the data set has no validation split
 * @param logEvery            print the loss every N epochs (full-batch recipes)
 * @param augmentation        random image transformations of the training stream; null for none
 */
public record TrainingSpec(
        int epochs,
        @JsonProperty("batch_size") int batchSize,
        long seed,
        String schedule,
        @JsonProperty("warmup_epochs") double warmupEpochs,
        @JsonProperty("step_epochs") int stepEpochs,
        @JsonProperty("step_gamma") double stepGamma,
        @JsonProperty("early_stop_patience") int earlyStopPatience,
        @JsonProperty("early_stop_metric") String earlyStopMetric,
        @JsonProperty("gradient_clip") double gradientClip,
        @JsonProperty("log_every") int logEvery,
        io.moxing.data.AugmentationSpec augmentation) {

    public TrainingSpec {
        if (epochs <= 0 || epochs > 1_000_000) {
            throw new UserException("invalid_spec", "training.epochs " + epochs + " must be between 1 and 1000000, e.g. 10");
        }
        if (batchSize < 0) {
            throw new UserException("invalid_spec", "training.batch_size " + batchSize
                    + " must be positive (or 0 for full-batch gradient descent), e.g. 32");
        }
        schedule = schedule == null ? "constant" : schedule;
        if (!SCHEDULES.contains(schedule)) {
            throw new UserException("invalid_spec", "training.schedule '" + schedule + "' must be one of " + SCHEDULES);
        }
        stepEpochs = stepEpochs <= 0 ? 10 : stepEpochs;
        stepGamma = stepGamma <= 0 ? 0.1 : stepGamma;
        earlyStopMetric = earlyStopMetric == null ? "val_loss" : earlyStopMetric;
        if (!java.util.Set.of("val_loss", "val_accuracy").contains(earlyStopMetric)) {
            throw new UserException("invalid_spec", "training.early_stop_metric '" + earlyStopMetric
                    + "' must be val_loss or val_accuracy");
        }
        if (warmupEpochs < 0 || gradientClip < 0 || earlyStopPatience < 0) {
            throw new UserException("invalid_spec", "training.warmup_epochs, gradient_clip and early_stop_patience must be >= 0");
        }
        if ((schedule.equals("cosine") || schedule.equals("one_cycle")) && warmupEpochs >= epochs) {
            // the schedule decays over what the warm-up leaves: with nothing left it would never decay
            throw new UserException("invalid_spec", "training.warmup_epochs " + warmupEpochs + " must be less than"
                    + " training.epochs " + epochs + " for the " + schedule + " schedule, e.g. " + Math.max(0.5, epochs * 0.3));
        }
    }

    /** The learning-rate schedules: one_cycle is Smith's one-cycle policy (cosine up to lr, then down to lr/25e4). */
    public static final java.util.List<String> SCHEDULES = java.util.List.of("constant", "step", "cosine", "one_cycle");

    public TrainingSpec with(Integer newEpochs, Integer newBatch, Long newSeed) {
        int e = newEpochs != null ? newEpochs : epochs;
        // a warm-up that no longer fits the new epochs keeps its share of them (30 epochs with 3 of warm-up, fine-tuned
        // for 1: a tenth of an epoch); one that fits is kept as written
        double warmup = warmupEpochs >= e && epochs > 0 ? warmupEpochs * e / epochs : warmupEpochs;
        return new TrainingSpec(e, newBatch != null ? newBatch : batchSize,
                newSeed != null ? newSeed : seed, schedule, warmup, stepEpochs, stepGamma, earlyStopPatience,
                earlyStopMetric, gradientClip, logEvery, augmentation);
    }
}
