package io.moxing.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.BuildInfo;
import io.moxing.registry.DatasetRef;
import java.util.Map;

/**
 * A training run's record ({@code run.json}): what is being trained on what, with which options, how
 * far it got and what it produced. Rewritten atomically as the run advances.
 *
 * @param trainedOn the samples trained on when they are not the data set's training split (or its first
 *                  {@code trainLimit}): {@code train+validation} for an AutoML search's final run; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        @JsonProperty("format_version") int formatVersion,
        String id,
        String model,
        DatasetRef dataset,
        String status,
        @JsonProperty("epochs_planned") int epochsPlanned,
        @JsonProperty("epochs_completed") int epochsCompleted,
        @JsonProperty("train_limit") Integer trainLimit,
        @JsonProperty("trained_on") String trainedOn,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("training_seconds") double trainingSeconds,
        BuildInfo machine,
        Map<String, Object> result) {

    public static final int FORMAT_VERSION = 1;

    public RunRecord progress(String newStatus, int completed, double seconds, Map<String, Object> newResult) {
        return new RunRecord(formatVersion, id, model, dataset, newStatus, epochsPlanned, completed, trainLimit, trainedOn,
                startedAt,
                java.time.Instant.now().toString(), seconds, machine, newResult);
    }
}
