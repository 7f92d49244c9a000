package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;
import io.moxing.model.TestTimeAugmentation;

/**
 * What a user asked a search for: the data, the registry name of the winner, the metric, the wall-clock
 * budget, the seed, the most epochs a trial may reach (R, ASHA's top rung) and optional limits.
 *
 * @param maxTrials  stop drawing new trials after this many (null: the budget alone decides)
 * @param trainLimit train on the first N training samples only
 * @param maxWidth   the widest convolution the image space offers (the space goes to 128)
 * @param searchLimit trials train on the first N training samples only (a cheaper fidelity); the final model is
 *                    then trained again on all of them (up to {@code trainLimit}). Null: all of them
 * @param maxFinalEpochs the most epochs the final model trains when it is trained again (its schedule is fitted
 *                    to the time the search leaves, up to this)
 * @param finalData  what the final model trains on; a search saved before the choice existed trained on the
 *                    training split alone
 * @param testTimeAugmentation {@code auto} (default): a final model trained on flipped images averages each prediction
 *                    with the mirror image's when that wins on the validation split (twice the compute per image);
 *                    {@code none}: it never does
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchRequest(
        String dataset,
        String model,
        SearchMetric metric,
        @JsonProperty("budget_seconds") long budgetSeconds,
        long seed,
        @JsonProperty("max_epochs") int maxEpochs,
        @JsonProperty("max_trials") Integer maxTrials,
        @JsonProperty("train_limit") Integer trainLimit,
        @JsonProperty("max_width") int maxWidth,
        @JsonProperty("search_limit") Integer searchLimit,
        @JsonProperty("max_final_epochs") int maxFinalEpochs,
        @JsonProperty("final_data") FinalData finalData,
        @JsonProperty("test_time_augmentation") TestTimeAugmentation testTimeAugmentation) {

    /** Trials of an image search see this many training samples unless told otherwise: 2 cores train ~3,000 a second. */
    public static final int DEFAULT_IMAGE_SEARCH_LIMIT = 10_000;
    public static final int DEFAULT_MAX_FINAL_EPOCHS = 50;

    /**
     * A state saved before the final training existed reads 0 here: the default then; one saved before the final
     * data was a choice reads null, the training split (still the default, set by the constructor); one saved before
     * test-time augmentation reads null too, and goes on without it (the default of a new request is auto).
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    static SearchRequest read(@JsonProperty("dataset") String dataset, @JsonProperty("model") String model,
                              @JsonProperty("metric") SearchMetric metric, @JsonProperty("budget_seconds") long budgetSeconds,
                              @JsonProperty("seed") long seed, @JsonProperty("max_epochs") int maxEpochs,
                              @JsonProperty("max_trials") Integer maxTrials, @JsonProperty("train_limit") Integer trainLimit,
                              @JsonProperty("max_width") int maxWidth, @JsonProperty("search_limit") Integer searchLimit,
                              @JsonProperty("max_final_epochs") Integer maxFinalEpochs,
                              @JsonProperty("final_data") FinalData finalData,
                              @JsonProperty("test_time_augmentation") TestTimeAugmentation testTimeAugmentation) {
        return new SearchRequest(dataset, model, metric, budgetSeconds, seed, maxEpochs, maxTrials, trainLimit, maxWidth,
                searchLimit, maxFinalEpochs == null ? DEFAULT_MAX_FINAL_EPOCHS : maxFinalEpochs, finalData,
                // a search saved before the choice existed never averaged: it resumes as it began
                testTimeAugmentation == null ? TestTimeAugmentation.NONE : testTimeAugmentation);
    }

    public SearchRequest {
        metric = metric == null ? SearchMetric.ACCURACY : metric;
        finalData = finalData == null ? FinalData.TRAIN : finalData; // the default, and every search's before the choice
        testTimeAugmentation = testTimeAugmentation == null ? TestTimeAugmentation.AUTO : testTimeAugmentation;
        if (testTimeAugmentation == TestTimeAugmentation.HORIZONTAL_FLIP) {
            throw new UserException("invalid_option", "--test-time-augmentation must be auto or none: a search decides"
                    + " on the validation split, it does not assume");
        }
        if (budgetSeconds <= 0) {
            throw new UserException("invalid_option", "--budget must be positive, e.g. 60m");
        }
        if (maxEpochs < 1 || maxEpochs > 1000) {
            throw new UserException("invalid_option", "--max-epochs " + maxEpochs + " must be between 1 and 1000, e.g. 9");
        }
        if (maxTrials != null && maxTrials < 1) {
            throw new UserException("invalid_option", "--trials " + maxTrials + " must be positive");
        }
        if (trainLimit != null && trainLimit < 1) {
            throw new UserException("invalid_option", "--limit " + trainLimit + " must be positive");
        }
        if (searchLimit != null && searchLimit < 1) {
            throw new UserException("invalid_option", "--search-limit " + searchLimit + " must be positive");
        }
        if (maxFinalEpochs < 1 || maxFinalEpochs > 1000) {
            throw new UserException("invalid_option", "--max-final-epochs " + maxFinalEpochs + " must be between 1 and 1000");
        }
        if (maxWidth < 8) {
            throw new UserException("invalid_option", "--max-width " + maxWidth + " must be at least 8, e.g. 128");
        }
        if (model != null && !model.matches("[a-z0-9][a-z0-9._-]{0,47}")) {
            throw new UserException("invalid_option", "--name '" + model + "' must be lower-case letters, digits, '.', '_'"
                    + " or '-' (at most 48)");
        }
    }

    /** The same request with {@code name} and the trials' sample limit resolved. */
    SearchRequest resolved(String name, Integer trialSamples) {
        return new SearchRequest(dataset, name, metric, budgetSeconds, seed, maxEpochs, maxTrials, trainLimit, maxWidth,
                trialSamples, maxFinalEpochs, finalData, testTimeAugmentation);
    }

    /**
     * A budget as written on the command line: {@code 90s}, {@code 60m}, {@code 2h}, {@code 1h30m}; a bare
     * number is minutes.
     */
    public static long parseBudget(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.matches("\\d+")) return Long.parseLong(t) * 60;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([hms])").matcher(t);
        long seconds = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            seconds += switch (m.group(2)) { case "h" -> n * 3600; case "m" -> n * 60; default -> n; };
            end = m.end();
        }
        if (end == 0 || end != t.length() || seconds <= 0) {
            throw new UserException("invalid_option", "--budget '" + text + "' must be a duration such as 90s, 60m, 2h or 1h30m");
        }
        return seconds;
    }
}
