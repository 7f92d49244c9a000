package io.moxing.feedback;

/**
 * A served request as far as feedback needs it, whether or not its inputs were logged: its tenant (the
 * only one that may give feedback on it), the deployment and model version that answered, and how many
 * rows it predicted.
 */
public record PredictedRequest(String requestId, String tenant, String deployment, String model, int version, int rows) {}
