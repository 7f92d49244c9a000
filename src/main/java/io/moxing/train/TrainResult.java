package io.moxing.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What a finished run produced; its JSON is the last line of {@code moxing train --json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainResult(
        @JsonProperty("run_id") String runId,
        String model,
        Integer version,
        String dataset,
        int epochs,
        @JsonProperty("stopped_early") boolean stoppedEarly,
        @JsonProperty("final_loss") double finalLoss,
        @JsonProperty("val_loss") Double valLoss,
        @JsonProperty("val_accuracy") Double valAccuracy,
        @JsonProperty("test_accuracy") Double testAccuracy,
        @JsonProperty("test_macro_f1") Double testMacroF1,
        @JsonProperty("test_mse") Double testMse,
        @JsonProperty("val_perplexity") Double valPerplexity,
        @JsonProperty("test_perplexity") Double testPerplexity,
        @JsonProperty("bigram_perplexity") Double bigramPerplexity,
        @JsonProperty("train_samples_per_second") double trainSamplesPerSecond,
        @JsonProperty("train_tokens_per_second") Double trainTokensPerSecond,
        @JsonProperty("duration_seconds") double durationSeconds,
        List<float[]> probe,
        List<float[]> predictions,
        String report) {}
