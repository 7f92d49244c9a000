package io.moxing.train;

/**
 * Watches a run from outside the trainer: told the run's id as soon as its {@code run.json} exists, and
 * along for the training loop as its last listener (after the checkpoint), so a background job can
 * remember the run to resume and stop the loop at a batch boundary when it is cancelled.
 */
public interface RunObserver extends TrainingListener {
    RunObserver NONE = new RunObserver() {};

    /** The run now has a directory and a record: from here on it can be resumed by this id. */
    default void onRunCreated(String runId) {}
}
