package io.moxing.billing;

import java.util.List;

/** Where usage records are kept durably (the state database). */
public interface UsageLedger {
    /**
     * Writes the records in one transaction, with the answers kept for replays. A charged record whose
     * tenant already has a charged record with the same idempotency key is a retry and is not written;
     * the result says, per record, whether it was written.
     */
    boolean[] append(List<UsageRecord> records);

    /**
     * The charged request the tenant made under {@code idempotencyKey}, with the answer it got unless that
     * has been purged; empty when the key is unused.
     */
    java.util.Optional<IdempotentEntry> idempotent(String tenantId, String idempotencyKey);

    /** Forgets answers kept for replays that were given before {@code beforeMs}; returns how many. */
    int purgeAnswers(long beforeMs);

    /** Charged usage of the tenant in [fromMs, toMs). */
    UsageTotals totals(String tenantId, long fromMs, long toMs);

    /** Charged usage in [fromMs, toMs) grouped by (plan, model) and by batch size, for unit economics. */
    List<EconomicsInput.ModelUsage> byPlanAndModel(long fromMs, long toMs);

    List<EconomicsInput.BatchUsage> byBatchSize(long fromMs, long toMs);

    List<UsageQuery.Row> query(UsageQuery query);
}
