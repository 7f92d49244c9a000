package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * One trial of a search: its settings, the training run that carries it, and what it measured at each
 * rung it reached. Immutable: a step of the search makes a new one.
 *
 * @param forwardFlops the spec's forward FLOPs per sample, which scale the time a new trial is expected to take
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Trial(
        String id,
        TrialSettings settings,
        @JsonProperty("run_id") String runId,
        List<RungResult> rungs,
        Status status,
        @JsonProperty("forward_flops") long forwardFlops,
        String error) {

    /** Where a trial is: training now, waiting at a rung for a promotion, at full fidelity, or failed. */
    public enum Status { RUNNING, PAUSED, COMPLETED, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The validation metric after {@code epochs} epochs (rung {@code rung}), and the seconds the step
     * that got there took.
     */
    public record RungResult(int rung, int epochs, Double metric, double seconds) {}

    public Trial {
        rungs = List.copyOf(rungs);
    }

    static Trial created(String id, TrialSettings settings, long forwardFlops) {
        return new Trial(id, settings, null, List.of(), Status.RUNNING, forwardFlops, null);
    }

    Trial withRun(String run) {
        return new Trial(id, settings, run, rungs, status, forwardFlops, error);
    }

    Trial running() {
        return new Trial(id, settings, runId, rungs, Status.RUNNING, forwardFlops, error);
    }

    Trial reached(RungResult result, boolean full) {
        List<RungResult> more = new ArrayList<>(rungs);
        more.add(result);
        return new Trial(id, settings, runId, more, full ? Status.COMPLETED : Status.PAUSED, forwardFlops, null);
    }

    Trial failed(String why) {
        return new Trial(id, settings, runId, rungs, Status.FAILED, forwardFlops, why);
    }

    /** The metric at {@code rung}, or null when the trial did not reach it. */
    Double metricAt(int rung) {
        return rungs.stream().filter(r -> r.rung() == rung).map(RungResult::metric).findFirst().orElse(null);
    }

    boolean reachedRung(int rung) {
        return rungs.stream().anyMatch(r -> r.rung() == rung);
    }

    /** The highest rung reached, -1 for none. */
    int topRung() {
        return rungs.isEmpty() ? -1 : rungs.get(rungs.size() - 1).rung();
    }

    /** Epochs trained so far (the fidelity reached). */
    int epochs() {
        return rungs.isEmpty() ? 0 : rungs.get(rungs.size() - 1).epochs();
    }

    /** The metric at the highest rung reached. */
    Double lastMetric() {
        return rungs.isEmpty() ? null : rungs.get(rungs.size() - 1).metric();
    }

    /** Measured seconds per epoch over all its steps; NaN before its first. */
    double secondsPerEpoch() {
        double seconds = rungs.stream().mapToDouble(RungResult::seconds).sum();
        return rungs.isEmpty() ? Double.NaN : seconds / epochs();
    }
}
