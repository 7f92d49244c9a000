package io.moxing.train;

import java.util.List;
import java.util.Map;

/** Keeps a run's {@code run.json} current: epochs completed and training time after each epoch, then the result. */
final class RunProgress implements TrainingListener {
    private final RunDirectory run;
    private RunRecord record;

    RunProgress(RunDirectory run, RunRecord record) {
        this.run = run;
        this.record = record;
        run.write(record);
    }

    @Override
    public void onEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
        record = record.progress("running", history.size(), seconds(history), null);
        run.write(record);
    }

    /** The run's end, or a stage's: {@code status} is "completed", or "paused" for a staged run to be continued. */
    RunRecord complete(List<EpochMetrics> history, Map<String, Object> result, String status) {
        record = record.progress(status, history.size(), seconds(history), result);
        run.write(record);
        return record;
    }

    static double seconds(List<EpochMetrics> history) {
        return history.stream().mapToDouble(EpochMetrics::seconds).sum();
    }
}
