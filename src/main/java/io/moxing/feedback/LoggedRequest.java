package io.moxing.feedback;

/**
 * One logged request as stored: who asked which deployment (and which model version answered), how many
 * rows, when it expires, and its {@link LoggedContent} sealed under the data key.
 */
public record LoggedRequest(String requestId, String tenant, String deployment, String model, int version, int rows,
                            long atMs, long expiresAtMs, byte[] sealed) {}
