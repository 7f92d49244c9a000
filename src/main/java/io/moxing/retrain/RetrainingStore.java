package io.moxing.retrain;

import java.util.List;
import java.util.Optional;

/** Where retraining policies and decisions are kept (the state database). */
public interface RetrainingStore {
    Optional<RetrainingPolicy> policy(String deployment);

    List<RetrainingPolicy> policies();

    void setPolicy(RetrainingPolicy policy);

    void record(RetrainingDecision decision);

    /** The decision of round {@code id}, if it was decided. */
    Optional<RetrainingDecision> decision(String id);

    /** Newest first. */
    List<RetrainingDecision> decisions(String deployment, int limit);

    /** The time up to which the deployment's feedback was taken by its last round (0 when none). */
    long feedbackWatermark(String deployment);
}
