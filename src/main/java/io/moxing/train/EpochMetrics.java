package io.moxing.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One epoch's results, one line of a run's {@code metrics.jsonl}. Accuracies are null for regression;
 * {@code skipped_steps} counts updates skipped because the loss or the gradients overflowed (null: none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(
        int epoch,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("train_accuracy") Double trainAccuracy,
        @JsonProperty("val_loss") Double valLoss,
        @JsonProperty("val_accuracy") Double valAccuracy,
        @JsonProperty("learning_rate") double learningRate,
        double seconds,
        @JsonProperty("samples_per_second") double samplesPerSecond,
        @JsonProperty("skipped_steps") Integer skippedSteps) {

    /** The value early stopping watches; lower is better for losses, so accuracy is negated. */
    public double monitored(String metric) {
        return switch (metric) {
            case "val_accuracy" -> valAccuracy == null ? Double.NaN : -valAccuracy;
            default -> valLoss == null ? trainLoss : valLoss;
        };
    }
}
