package io.moxing.billing;

import io.moxing.core.UserException;

/**
 * Which usage to sum and how to group it.
 *
 * @param tenant null = every tenant (admin only)
 * @param by     day, month, model, key or tenant
 * @param fromMs inclusive start (epoch ms), toMs exclusive end
 */
public record UsageQuery(String tenant, String keyId, String model, String by, long fromMs, long toMs) {
    public static final java.util.List<String> GROUPS = java.util.List.of("day", "month", "model", "key", "tenant");

    public UsageQuery {
        if (by == null) by = "day";
        if (!GROUPS.contains(by)) {
            throw new UserException("invalid_field", "by '" + by + "' is not one of " + GROUPS);
        }
        if (toMs <= fromMs) throw new UserException("invalid_field", "'to' must be after 'from'");
    }

    /** One group's sums. */
    public record Row(String group, long requests, long charged, long units, long tokensIn, long tokensOut, double computeSeconds) {}
}
