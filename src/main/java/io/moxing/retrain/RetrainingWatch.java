package io.moxing.retrain;

import io.moxing.feedback.FeedbackStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of retraining policies: every few seconds it counts each policy's new labelled
 * feedback and, once a policy's threshold is reached, starts a round: on a server, it queues a retraining
 * job (the job runner runs it, and resumes it after a crash); in the demo, it runs it in place.
 */
public final class RetrainingWatch implements AutoCloseable {
    /** Starts a round for a deployment; false when one is already under way. */
    public interface RoundStarter {
        boolean start(String deployment);
    }

    private final RoundStarter rounds;
    private final RetrainingStore store;
    private final FeedbackStore feedback;
    /** Per deployment, the watermark and labelled count when its last round was started. */
    private final java.util.Map<String, long[]> started = new java.util.HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retraining");
        t.setDaemon(true);
        return t;
    });

    public RetrainingWatch(RoundStarter rounds, RetrainingStore store, FeedbackStore feedback) {
        this.rounds = rounds;
        this.store = store;
        this.feedback = feedback;
    }

    public RetrainingWatch start(long periodMs) {
        thread.scheduleWithFixedDelay(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Starts a round for every policy whose threshold of new labelled feedback is reached. A round that
     * failed without deciding is started again only once more feedback has arrived, not every period.
     */
    public void check() {
        for (RetrainingPolicy p : store.policies()) {
            long watermark = 0;
            int labelled = 0;
            try {
                watermark = store.feedbackWatermark(p.deployment());
                labelled = feedback.labelledSince(p.deployment(), watermark);
                long[] last = started.get(p.deployment());
                boolean retried = last != null && last[0] == watermark && labelled <= last[1];
                if (labelled >= p.afterFeedback() && !retried && rounds.start(p.deployment())) {
                    started.put(p.deployment(), new long[] {watermark, labelled});
                }
            } catch (RuntimeException e) {
                started.put(p.deployment(), new long[] {watermark, labelled});
                System.err.println("retraining " + p.deployment() + " failed (started again when more feedback arrives): "
                        + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
