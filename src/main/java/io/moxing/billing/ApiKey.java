package io.moxing.billing;

import java.util.Set;

/**
 * An API key as stored: its public id, its tenant, the salted hash of its secret (never the secret),
 * and what it may do.
 *
 * @param models        deployments the key may call; empty = every model its tenant may call
 * @param ratePerSecond the key's own token-bucket rate (null = the plan's)
 * @param expiresAt     epoch ms after which the key is refused (null = never)
 * @param revokedAt     epoch ms of revocation (null = live)
 */
public record ApiKey(String id, String tenantId, String name, String salt, String hash, Set<String> models,
                     Double ratePerSecond, Integer burst, Long expiresAt, Long revokedAt, long createdAt) {
    public ApiKey {
        models = models == null ? Set.of() : Set.copyOf(models);
    }

    public boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean liveAt(long nowMs) {
        return revokedAt == null && (expiresAt == null || nowMs < expiresAt);
    }

    /** The key without its hash and salt, as listings show it. */
    public record View(String id, String tenant, String name, String prefix, java.util.List<String> models,
                       Double ratePerSecond, Integer burst, String expiresAt, String revokedAt, String createdAt) {}

    public View view() {
        return new View(id, tenantId, name, Secrets.KEY_PREFIX + id, models.stream().sorted().toList(), ratePerSecond, burst,
                expiresAt == null ? null : java.time.Instant.ofEpochMilli(expiresAt).toString(),
                revokedAt == null ? null : java.time.Instant.ofEpochMilli(revokedAt).toString(),
                java.time.Instant.ofEpochMilli(createdAt).toString());
    }
}
