package io.moxing.billing;

import java.util.Map;

/**
 * One served request as metered: who, which model, how much, how long the model computed, and whether
 * it is charged (requests that failed on our side are not). A retried request carries the client's
 * idempotency key and is charged once; a keyed request also carries the fingerprint of what was asked
 * and the answer given, written in the same transaction, so that a retry is answered the same and a
 * different request under a used key is recognised.
 *
 * @param units     predictions made (samples in the request)
 * @param computeUs the request's share of its batch's model time, in microseconds
 * @param batchSize   how many samples ran in the batch with this request's
 * @param requestHash fingerprint of the request (method, path, body) when it has an idempotency key, else null
 * @param answer      the answer sent, kept for replays when it has an idempotency key, else null
 * @param logged      the request's inputs and outputs, sealed, when its deployment keeps a prediction log; else null
 */
public record UsageRecord(String requestId, String tenantId, String keyId, String plan, String model, int version,
                          int units, int tokensIn, int tokensOut, long computeUs, int batchSize, int status,
                          boolean charged, long atMs, String idempotencyKey, String requestHash, StoredAnswer answer,
                          Logged logged) {
    public UsageRecord(String requestId, String tenantId, String keyId, String plan, String model, int version,
                       int units, int tokensIn, int tokensOut, long computeUs, int batchSize, int status,
                       boolean charged, long atMs, String idempotencyKey) {
        this(requestId, tenantId, keyId, plan, model, version, units, tokensIn, tokensOut, computeUs, batchSize, status, charged,
                atMs, idempotencyKey, null, null, null);
    }

    /**
     * An answer as sent: its media type, the other headers that say how to read it (a v2 binary answer's JSON length),
     * and its bytes.
     */
    public record StoredAnswer(String contentType, Map<String, String> headers, byte[] body) {
        public StoredAnswer {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /**
     * What the prediction log keeps of a request, written in the same transaction as its record so that
     * no answer goes out without it: the registered model that answered, its rows, and its inputs and
     * outputs sealed under the data key (this layer never sees them in the clear).
     */
    public record Logged(String registeredModel, int rows, long expiresAtMs, byte[] sealed) {}
}
