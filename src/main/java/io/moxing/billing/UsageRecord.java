package io.moxing.billing;

/**
 * One served request as metered: who, which model, how much, how long the model computed, and whether
 * it is charged (requests that failed on our side are not). A retried request carries the client's
 * idempotency key and is charged once.
 *
 * @param units     predictions made (samples in the request)
 * @param computeUs the request's share of its batch's model time, in microseconds
 * @param batchSize how many samples ran in the batch with this request's
 */
public record UsageRecord(String requestId, String tenantId, String keyId, String plan, String model, int version,
                          int units, int tokensIn, int tokensOut, long computeUs, int batchSize, int status,
                          boolean charged, long atMs, String idempotencyKey) {}
