package io.moxing.train;

import java.util.List;

/**
 * A concern that rides along a training run (progress bar, metrics log, checkpoints, early stopping),
 * in the manner of DJL's TrainingListener. Every method has a do-nothing default.
 */
public interface TrainingListener {

    default void onStart(int startEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {}

    default void onBatch(int epoch, int batch, double loss, double samplesPerSecond) {}

    /** Called after validation, with the history including this epoch. */
    default void onEpoch(EpochMetrics metrics, List<EpochMetrics> history) {}

    /** True to end training after the current epoch. */
    default boolean shouldStop(List<EpochMetrics> history) {
        return false;
    }

    default void onEnd(List<EpochMetrics> history) {}
}
