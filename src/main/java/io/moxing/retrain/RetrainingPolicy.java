package io.moxing.retrain;

import io.moxing.core.UserException;

/**
 * When and how a deployment is retrained from its users' corrections, and what a candidate must show to
 * replace production.
 *
 * @param afterFeedback retrain once this many new labelled feedback items have arrived
 * @param minGain       least improvement of {@code metric} on the gate set, in percentage points
 * @param maxClassDrop  largest drop of any class's F1 on the gate set, in percentage points
 * @param canary        traffic share (percent) a passing candidate takes first; null promotes at once
 * @param epochs        fine-tuning epochs from the production version
 */
public record RetrainingPolicy(String deployment, int afterFeedback, GateMetric metric, double minGain,
                               double maxClassDrop, Integer canary, int epochs) {
    public RetrainingPolicy {
        if (afterFeedback < 1) throw new UserException("invalid_option", "--after-feedback must be at least 1");
        if (minGain < 0 || maxClassDrop < 0) {
            throw new UserException("invalid_option", "--min-gain and --max-class-drop are percentage points, 0 or more");
        }
        if (canary != null && (canary < 1 || canary > 99)) {
            throw new UserException("invalid_option", "--canary is a traffic share from 1 to 99 percent");
        }
        if (epochs < 1 || epochs > 100) throw new UserException("invalid_option", "--epochs must be from 1 to 100");
    }
}
