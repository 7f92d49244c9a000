package io.moxing.feedback;

/**
 * A feedback item as stored: what is needed to find and own it in the clear, its label, rating and comment
 * sealed ({@link FeedbackSeal}).
 */
public record FeedbackRow(String id, String predictionId, String requestId, String tenant, String deployment,
                          String model, int version, boolean hasLabel, long atMs, byte[] sealed) {}
