package io.moxing.feedback;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the prediction log, the logging settings and feedback are kept (the state database). */
public interface FeedbackStore {
    /** Days each deployment keeps its predictions, for those that log. */
    Map<String, Integer> logDays();

    /** Keeps the deployment's predictions for {@code days} (null or 0: stop logging; what is logged expires as set). */
    void setLogDays(String deployment, Integer days);

    /** The request as served (from its usage record or its log entry); empty when unknown. */
    Optional<PredictedRequest> predicted(String requestId);

    Optional<LoggedRequest> logged(String requestId);

    /** Logged requests of a deployment, oldest first, from {@code fromMs} on. */
    List<LoggedRequest> logged(String deployment, long fromMs, int limit);

    /** Deletes log entries that expired before {@code nowMs}; returns how many. */
    int purgeExpired(long nowMs);

    void add(FeedbackRow row);

    Optional<FeedbackRow> feedback(String id);

    /**
     * Feedback, oldest first: of one deployment and/or tenant when given (null: all), at or after
     * {@code fromMs} and before {@code toMs}.
     */
    List<FeedbackRow> feedback(String deployment, String tenant, long fromMs, long toMs, int limit);

    /** A deployment's newest {@code limit} feedback items, newest first. */
    List<FeedbackRow> latest(String deployment, int limit);

    /** Distinct logged rows of a deployment labelled at or after {@code fromMs}. */
    int labelledSince(String deployment, long fromMs);
}
