package io.moxing.compress;

import io.moxing.core.UserException;

/**
 * The rule a compressed version must pass to be registered: its test accuracy may fall at most
 * {@code maxDropPoints} percentage points below the original's, both measured on the same test split.
 */
public record AccuracyGate(double maxDropPoints) {
    public AccuracyGate {
        if (!(maxDropPoints >= 0)) {
            throw new UserException("invalid_option", "--max-drop " + maxDropPoints + " must be 0 or more percentage points,"
                    + " e.g. --max-drop 0.5");
        }
    }

    /** Whether a compressed version passed, and why (a sentence with both accuracies). */
    public record Verdict(boolean passed, String reason) {}

    public Verdict judge(double accuracyBefore, double accuracyAfter) {
        double drop = 100 * (accuracyBefore - accuracyAfter);
        String figures = String.format("test accuracy %.4f -> %.4f (%+.2f points)", accuracyBefore, accuracyAfter, -drop);
        if (drop > maxDropPoints) {
            return new Verdict(false, figures + ": a drop of more than the " + maxDropPoints + " points --max-drop allows;"
                    + " not registered");
        }
        return new Verdict(true, figures + ", within --max-drop " + maxDropPoints);
    }
}
