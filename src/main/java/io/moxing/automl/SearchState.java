package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a search knows, saved atomically after each step ({@code automl/<id>/state.json}): the
 * request, the data-set version, the space, the scheduler, every trial with its rung results, the
 * promotions made, the step under way (to resume after a crash), the wall-clock time spent and the phase.
 *
 * @param inFlight the step that was started and not yet recorded: after a crash, the one step to redo
 *                 (from its run's checkpoint)
 * @param finalTraining the winner's settings trained again on all training samples, once planned (null when the
 *                 winner's own trial run is the final model)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchState(
        @JsonProperty("format_version") int formatVersion,
        String id,
        SearchRequest request,
        @JsonProperty("dataset_version") String datasetVersion,
        SearchSpace space,
        Asha asha,
        List<Trial> trials,
        List<Asha.Promotion> promotions,
        @JsonProperty("in_flight") Step inFlight,
        @JsonProperty("elapsed_seconds") double elapsedSeconds,
        Phase phase,
        @JsonProperty("stopped_by_budget") boolean stoppedByBudget,
        String winner,
        SearchResult result,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("final_training") FinalTraining finalTraining) {

    public static final int FORMAT_VERSION = 1;

    /** Searching; training the winner to full fidelity and evaluating it once on the test split; done. */
    public enum Phase { SEARCHING, FINISHING, DONE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Train {@code trial} up to rung {@code rung}. */
    public record Step(String trial, int rung) {}

    /**
     * The final model: with {@code retrained}, {@code trial}'s settings trained from scratch in run {@code runId}
     * on every training sample for {@code epochs} epochs (its schedule spans them), a number fitted to the time
     * the search left; without, the trial's own run at {@code epochs} epochs.
     *
     * @param expectedSeconds what the plan expected the training to take, from the trial's measured speed
     */
    public record FinalTraining(String trial, boolean retrained, int epochs, @JsonProperty("run_id") String runId,
                                @JsonProperty("train_samples") int trainSamples,
                                @JsonProperty("expected_seconds") double expectedSeconds) {}

    public SearchState {
        trials = List.copyOf(trials);
        promotions = List.copyOf(promotions);
    }

    public Trial trial(String trialId) {
        return trials.stream().filter(t -> t.id().equals(trialId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no trial " + trialId + " in search " + id));
    }

    SearchState with(Trial changed) {
        List<Trial> all = new ArrayList<>(trials);
        boolean replaced = false;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(changed.id())) {
                all.set(i, changed);
                replaced = true;
            }
        }
        if (!replaced) all.add(changed);
        return new SearchState(formatVersion, id, request, datasetVersion, space, asha, all, promotions, inFlight,
                elapsedSeconds, phase, stoppedByBudget, winner, result, createdAt, finalTraining);
    }

    SearchState promoted(Asha.Promotion promotion) {
        List<Asha.Promotion> all = new ArrayList<>(promotions);
        all.add(promotion);
        return new SearchState(formatVersion, id, request, datasetVersion, space, asha, trials, all, inFlight,
                elapsedSeconds, phase, stoppedByBudget, winner, result, createdAt, finalTraining);
    }

    SearchState inFlight(Step step) {
        return new SearchState(formatVersion, id, request, datasetVersion, space, asha, trials, promotions, step,
                elapsedSeconds, phase, stoppedByBudget, winner, result, createdAt, finalTraining);
    }

    SearchState elapsed(double seconds) {
        return new SearchState(formatVersion, id, request, datasetVersion, space, asha, trials, promotions, inFlight,
                seconds, phase, stoppedByBudget, winner, result, createdAt, finalTraining);
    }

    SearchState finishing(String winnerId, boolean byBudget) {
        return new SearchState(formatVersion, id, request, datasetVersion, space, asha, trials, promotions, inFlight,
                elapsedSeconds, Phase.FINISHING, byBudget, winnerId, result, createdAt, null);
    }

    /** The final model's plan; its trial is the search's winner from now on (the leader when it could be trained again). */
    SearchState withFinal(FinalTraining plan) {
        return new SearchState(formatVersion, id, request, datasetVersion, space, asha, trials, promotions, inFlight,
                elapsedSeconds, phase, stoppedByBudget, plan.trial(), result, createdAt, plan);
    }

    SearchState done(SearchResult finalResult) {
        return new SearchState(formatVersion, id, request, datasetVersion, space, asha, trials, promotions, null,
                elapsedSeconds, Phase.DONE, stoppedByBudget, winner, finalResult, createdAt, finalTraining);
    }
}
