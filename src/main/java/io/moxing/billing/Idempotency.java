package io.moxing.billing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an Idempotency-Key promises a client: a retry is answered as the first attempt was and charged
 * once, and a key can never be reused to get a different request for free. A key in use by a request
 * still being served refuses a concurrent duplicate (409); a key already charged for a different request
 * (another fingerprint) refuses the new one (422); the same request again is a replay.
 */
public final class Idempotency {
    private final UsageLedger ledger;
    /** (tenant, key) pairs being served by this process now. */
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

    public Idempotency(UsageLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Claims the key for a request with fingerprint {@code requestHash}: returns the earlier request when
     * this one is its replay, or null when the request is new and must be served (then call {@link #end}
     * once it is answered). Refuses a concurrent duplicate or a different request under a used key.
     */
    public IdempotentEntry begin(String tenantId, String key, String requestHash) {
        if (!inProgress.add(slot(tenantId, key))) {
            throw new Refusal(Refusal.Reason.IDEMPOTENCY_IN_PROGRESS, "idempotency_key_in_progress", "a request with this"
                    + " Idempotency-Key is still being served; retry once it has been answered", 1);
        }
        try {
            IdempotentEntry earlier = ledger.idempotent(tenantId, key).orElse(null);
            if (earlier == null) return null;
            if (earlier.requestHash() != null && !earlier.requestHash().equals(requestHash)) {
                throw new Refusal(Refusal.Reason.IDEMPOTENCY_REUSED, "idempotency_key_reused", "this Idempotency-Key was"
                        + " already used for a different request (method, path or body differ); use a new key for a new request");
            }
            end(tenantId, key);
            return earlier;
        } catch (RuntimeException e) {
            end(tenantId, key);
            throw e;
        }
    }

    /** Releases a key claimed by {@link #begin} for a new request. */
    public void end(String tenantId, String key) {
        inProgress.remove(slot(tenantId, key));
    }

    private static String slot(String tenantId, String key) {
        return tenantId + '\u0000' + key;
    }
}
