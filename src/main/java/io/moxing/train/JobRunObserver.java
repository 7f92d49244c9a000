package io.moxing.train;

import io.moxing.jobs.JobContext;
import java.util.List;
import java.util.function.Consumer;

/**
 * A training run inside a background job: hands the run's id to {@code remember} (so a restarted job
 * resumes it), reports progress per batch (written with the heartbeat) and stops at a batch boundary when
 * the job is cancelled or its server shuts down.
 */
public final class JobRunObserver implements RunObserver {
    private final JobContext context;
    private final Consumer<String> remember;
    private int epochs = 1;
    private int batches = 1;

    public JobRunObserver(JobContext context, Consumer<String> remember) {
        this.context = context;
        this.remember = remember;
    }

    @Override
    public void onRunCreated(String runId) {
        remember.accept(runId);
        context.log("run " + runId);
    }

    @Override
    public void onStart(int startEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {
        this.epochs = Math.max(1, epochs);
        this.batches = Math.max(1, batchesPerEpoch);
        context.progress((double) startEpoch / this.epochs, "epoch " + startEpoch + "/" + epochs);
        context.stopIfRequested();
    }

    @Override
    public void onBatch(int epoch, int batch, double loss, double samplesPerSecond) {
        context.progress((epoch + (batch + 1.0) / batches) / epochs,
                String.format("epoch %d/%d, batch %d/%d, loss %.4f", epoch + 1, epochs, batch + 1, batches, loss));
        context.stopIfRequested();
    }

    @Override
    public void onEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
        context.progress((double) metrics.epoch() / epochs, "epoch " + metrics.epoch() + "/" + epochs + " done");
        context.stopIfRequested();
    }
}
