package io.moxing.billing;

import java.util.List;

/** Where usage records are kept durably (the state database). */
public interface UsageLedger {
    /**
     * Writes the records in one transaction. A charged record whose tenant already has a charged record
     * with the same idempotency key is a retry and is not written; the result says, per record, whether
     * it was written.
     */
    boolean[] append(List<UsageRecord> records);

    /** Charged usage of the tenant in [fromMs, toMs). */
    UsageTotals totals(String tenantId, long fromMs, long toMs);

    /** Charged usage in [fromMs, toMs) grouped by (plan, model) and by batch size, for unit economics. */
    List<EconomicsInput.ModelUsage> byPlanAndModel(long fromMs, long toMs);

    List<EconomicsInput.BatchUsage> byBatchSize(long fromMs, long toMs);

    List<UsageQuery.Row> query(UsageQuery query);
}
