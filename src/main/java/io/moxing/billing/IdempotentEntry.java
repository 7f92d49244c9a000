package io.moxing.billing;

/**
 * An earlier charged request under an idempotency key, as the ledger holds it.
 *
 * @param requestId   the id the request was answered with (a recomputed replay answers it again)
 * @param requestHash fingerprint of the request; null for records written before fingerprints were kept
 * @param answer      the answer it got, or null once purged (kept 24 hours)
 */
public record IdempotentEntry(String requestId, String requestHash, UsageRecord.StoredAnswer answer) {}
