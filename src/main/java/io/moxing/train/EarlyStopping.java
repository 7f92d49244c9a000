package io.moxing.train;

import java.util.List;

/**
 * Stops when the monitored validation metric has not improved for {@code patience} epochs. Its state
 * is derived from the metrics history, so a resumed run stops exactly where an uninterrupted one would.
 */
public record EarlyStopping(String metric, int patience, double minDelta) implements TrainingListener {

    @Override
    public boolean shouldStop(List<EpochMetrics> history) {
        if (patience <= 0 || history.isEmpty()) {
            return false;
        }
        int best = 0;
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i).monitored(metric) < history.get(best).monitored(metric) - minDelta) {
                best = i;
            }
        }
        return history.size() - 1 - best >= patience;
    }
}
