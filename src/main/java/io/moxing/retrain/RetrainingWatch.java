package io.moxing.retrain;

import io.moxing.feedback.FeedbackStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of retraining policies: every few seconds it counts each policy's new labelled
 * feedback and, once a policy's threshold is reached, runs a round. Rounds run one at a time on this
 * watch's own thread, so serving never waits for them.
 */
public final class RetrainingWatch implements AutoCloseable {
    private final Retrainer retrainer;
    private final RetrainingStore store;
    private final FeedbackStore feedback;
    /** Per deployment, the labelled count at which its last round failed. */
    private final java.util.Map<String, Integer> failedAt = new java.util.HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retraining");
        t.setDaemon(true);
        return t;
    });

    public RetrainingWatch(Retrainer retrainer, RetrainingStore store, FeedbackStore feedback) {
        this.retrainer = retrainer;
        this.store = store;
        this.feedback = feedback;
    }

    public RetrainingWatch start(long periodMs) {
        thread.scheduleWithFixedDelay(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Runs a round for every policy whose threshold of new labelled feedback is reached. A round that failed
     * is tried again only once more feedback has arrived, not every period.
     */
    public void check() {
        for (RetrainingPolicy p : store.policies()) {
            int labelled = 0;
            try {
                labelled = feedback.labelledSince(p.deployment(), store.feedbackWatermark(p.deployment()));
                if (labelled >= p.afterFeedback() && labelled > failedAt.getOrDefault(p.deployment(), -1)) {
                    retrainer.retrain(p.deployment());
                    failedAt.remove(p.deployment());
                }
            } catch (RuntimeException e) {
                failedAt.put(p.deployment(), labelled);
                System.err.println("retraining " + p.deployment() + " failed (tried again when more feedback arrives): "
                        + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
