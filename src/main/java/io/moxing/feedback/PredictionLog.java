package io.moxing.feedback;

import io.moxing.billing.UsageRecord;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The serving side of the prediction log: which deployments keep their predictions (re-read with the
 * server's other settings, so {@code moxing deploy --log-inputs} takes effect within a poll), the sealing
 * of a request's record (it travels with the usage record and is written in its transaction), and the
 * purge of expired entries.
 */
public final class PredictionLog {
    private final FeedbackStore store;
    private final FeedbackSeal seal;
    private volatile Map<String, Integer> days = Map.of();

    public PredictionLog(FeedbackStore store, FeedbackSeal seal) {
        this.store = store;
        this.seal = seal;
        refresh();
    }

    public void refresh() {
        days = Map.copyOf(store.logDays());
    }

    public boolean logs(String deployment) {
        return days.containsKey(deployment);
    }

    /** The sealed record of a request to a logging deployment, to be written with its usage record. */
    public UsageRecord.Logged seal(String deployment, String registeredModel, String requestId, LoggedContent content,
                                   long atMs) {
        long expires = atMs + TimeUnit.DAYS.toMillis(days.getOrDefault(deployment, 0));
        return new UsageRecord.Logged(registeredModel, content.rows(), expires, seal.sealLog(requestId, content));
    }

    /** Deletes what has expired; returns how many requests' records went. */
    public int purgeExpired() {
        return store.purgeExpired(System.currentTimeMillis());
    }
}
