package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The search that chose a model version ({@code moxing automl}): the method, the metric it selected on
 * (always measured on the validation split), the space it drew from, every trial with the fidelity it
 * reached and its metric there, the winner and its settings, and the wall-clock budget. Settings and the
 * space are the search's own JSON (the {@code automl} package defines them); this record is what the
 * registry promises to keep.
 *
 * @param search         the search's id ({@code moxing automl show ID})
 * @param method         e.g. "asha(eta=3, min=1, max=9)"
 * @param metric         the selection metric on the validation split, e.g. "val_accuracy"
 * @param budgetSeconds  the wall-clock budget the search was given
 * @param elapsedSeconds the wall-clock time the search took, the winner's finishing included
 * @param seed           the sampler's seed
 */
public record SearchProvenance(
        String search,
        String method,
        String metric,
        @JsonProperty("budget_seconds") long budgetSeconds,
        @JsonProperty("elapsed_seconds") double elapsedSeconds,
        long seed,
        JsonNode space,
        List<Trial> trials,
        String winner,
        @JsonProperty("winner_settings") JsonNode winnerSettings) {

    public SearchProvenance {
        trials = List.copyOf(trials);
    }

    /**
     * One trial: its settings, the run that trained it, how many epochs it reached (its fidelity) and its
     * validation metric at the last of them, and how it ended (completed, stopped early, failed).
     */
    public record Trial(
            String id,
            @JsonProperty("run_id") String runId,
            JsonNode settings,
            @JsonProperty("epochs_reached") int epochsReached,
            @JsonProperty("validation_metric") Double validationMetric,
            String outcome) {}
}
