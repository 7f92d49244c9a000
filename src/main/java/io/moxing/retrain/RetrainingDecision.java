package io.moxing.retrain;

import java.util.Map;

/**
 * One retraining round as decided: the production version it was compared with, the candidate (null when
 * none was trained), the data set it was fine-tuned on, whether it was promoted (or went to canary), why,
 * and the evidence (gate, held-out feedback and test figures of both). {@code feedbackToMs} is the time up
 * to which feedback was taken, so the next round counts only newer feedback.
 */
public record RetrainingDecision(String id, String deployment, long atMs, String production, String candidate,
                                 String dataset, boolean promoted, String reason, Map<String, Object> evidence,
                                 long feedbackToMs) {}
