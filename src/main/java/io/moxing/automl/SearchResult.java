package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a finished search produced; its JSON is the last line of {@code moxing automl --json}.
 *
 * @param bestTestAccuracy       the winner's accuracy on the test split: its only evaluation there
 * @param bestValidationAccuracy the registered model's validation accuracy; when it was trained on the validation
 *                               split too, its trial's (on the trials' subset, at its top rung), on which it was chosen
 * @param trials                 trials drawn
 * @param stoppedEarly           trials that ended below full fidelity (not promoted, or failed)
 * @param version                the registered version of {@code model}
 * @param winnerRun              the run that became the registered model: the final training, or the winner's trial run
 * @param retrained              whether the final model is the winner's settings trained again on all training samples
 * @param finalEpochs            the registered model's epochs
 * @param finalTrainSamples      the training samples it trained on per epoch
 * @param trainedOnValidation    whether those include the validation split (then {@code bestValidationAccuracy} is
 *                               its trial's)
 * @param testTimeAugmentation   what the registered version does to a sample before predicting it: "none", or
 *                               "horizontal_flip" when averaging with the mirror image won on the validation split
 */
public record SearchResult(
        @JsonProperty("best_test_accuracy") Double bestTestAccuracy,
        @JsonProperty("best_validation_accuracy") Double bestValidationAccuracy,
        int trials,
        @JsonProperty("stopped_early") int stoppedEarly,
        int failed,
        double seconds,
        String search,
        String model,
        Integer version,
        String winner,
        @JsonProperty("winner_run") String winnerRun,
        @JsonProperty("stopped_by_budget") boolean stoppedByBudget,
        boolean retrained,
        @JsonProperty("final_epochs") int finalEpochs,
        @JsonProperty("final_train_samples") int finalTrainSamples,
        @JsonProperty("trained_on_validation") boolean trainedOnValidation,
        @JsonProperty("test_time_augmentation") String testTimeAugmentation) {}
