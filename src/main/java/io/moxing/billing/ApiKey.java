package io.moxing.billing;

import java.util.Set;

/**
 * An API key as stored: its public id, its tenant, the salted hash of its secret (never the secret),
 * and what it may do.
 *
 * @param models        deployments the key may call; empty = every model its tenant may call
 * @param ratePerSecond the key's own token-bucket rate (null = the plan's)
 * @param rateUnit      what the key's own rate counts: requests or predictions
 * @param expiresAt     epoch ms after which the key is refused (null = never)
 * @param revokedAt     epoch ms of revocation (null = live)
 */
public record ApiKey(String id, String tenantId, String name, String salt, String hash, Set<String> models,
                     Double ratePerSecond, Integer burst, Long expiresAt, Long revokedAt, long createdAt, RateUnit rateUnit) {
    public ApiKey {
        models = models == null ? Set.of() : Set.copyOf(models);
        rateUnit = rateUnit == null ? RateUnit.REQUESTS : rateUnit;
    }

    /** A key whose rate counts requests. */
    public ApiKey(String id, String tenantId, String name, String salt, String hash, Set<String> models, Double ratePerSecond,
                  Integer burst, Long expiresAt, Long revokedAt, long createdAt) {
        this(id, tenantId, name, salt, hash, models, ratePerSecond, burst, expiresAt, revokedAt, createdAt, RateUnit.REQUESTS);
    }

    public boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean liveAt(long nowMs) {
        return revokedAt == null && (expiresAt == null || nowMs < expiresAt);
    }

    /** The key without its hash and salt, as listings show it. */
    public record View(String id, String tenant, String name, String prefix, java.util.List<String> models,
                       Double ratePerSecond, Integer burst, String rateUnit, String expiresAt, String revokedAt,
                       String createdAt) {}

    public View view() {
        return new View(id, tenantId, name, Secrets.KEY_PREFIX + id, models.stream().sorted().toList(), ratePerSecond, burst,
                rateUnit.name().toLowerCase(java.util.Locale.ROOT),
                expiresAt == null ? null : java.time.Instant.ofEpochMilli(expiresAt).toString(),
                revokedAt == null ? null : java.time.Instant.ofEpochMilli(revokedAt).toString(),
                java.time.Instant.ofEpochMilli(createdAt).toString());
    }
}
