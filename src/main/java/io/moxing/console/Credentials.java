package io.moxing.console;

import io.moxing.billing.AdminToken;
import io.moxing.billing.ApiKey;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Secrets;
import java.util.Optional;

/**
 * The secrets the console accepts, checked as the API checks them: an admin token (mx_admin_...) must be live, an API
 * key (mx_live_...) must match its salted hash, be neither revoked nor expired, and belong to a tenant. A tenant's
 * session acts for the whole tenant (it makes and revokes keys, calls every model the tenant may see), so only an
 * unrestricted key opens one: a key limited to some models, to a rate of its own or to an expiry date would otherwise
 * sign in and make itself an unlimited key. A session is
 * only as good as its credential: {@link #live} is asked again on every request, so revoking the key or replacing the
 * admin token ends the sessions opened with it.
 */
final class Credentials {
    private final BillingAdmin billing;

    Credentials(BillingAdmin billing) {
        this.billing = billing;
    }

    /**
     * Who the secret signs in as; empty when it is not a live credential of either kind. A live key with
     * restrictions is refused with {@link LimitedKey}.
     */
    Optional<SignedIn> check(String secret, long nowMs) {
        if (secret == null) return Optional.empty();
        String s = secret.strip();
        if (s.startsWith(Secrets.ADMIN_PREFIX)) {
            return billing.admin(s).map(t -> new SignedIn(Role.OPERATOR, null, t.id(), "Operator"));
        }
        Secrets.Presented p = Secrets.parse(Secrets.KEY_PREFIX, s);
        if (p == null) return Optional.empty();
        // one key by its id, not the whole table: this runs on every sign-in
        Optional<ApiKey> key = billing.accounts().key(p.id())
                .filter(k -> Secrets.matches(p.secret(), k.salt(), k.hash()) && k.liveAt(nowMs));
        if (key.isPresent() && restricted(key.get())) throw new LimitedKey(key.get());
        return key.flatMap(k -> billing.accounts().tenant(k.tenantId())
                .map(t -> new SignedIn(Role.TENANT, t.id(), k.id(), t.displayName())));
    }

    /** Whether the key may do less than its tenant: some models only, a rate of its own, or an end. */
    static boolean restricted(ApiKey k) {
        return !k.models().isEmpty() || k.ratePerSecond() != null || k.burst() != null || k.expiresAt() != null;
    }

    /** A live key that may not open a console session: it is limited, and a session would act for the whole tenant. */
    static final class LimitedKey extends RuntimeException {
        final ApiKey key;

        LimitedKey(ApiKey key) {
            super("API key " + Secrets.KEY_PREFIX + key.id() + " is limited (to some models, a rate or an expiry date), and"
                    + " the console acts for the whole tenant; sign in with an unrestricted key of the tenant");
            this.key = key;
        }
    }

    /** Whether the credential a session was opened with is still live. */
    boolean live(Session s, long nowMs) {
        if (s.role() == Role.OPERATOR) {
            return billing.accounts().adminTokens().stream().anyMatch(t -> t.id().equals(s.credentialId()) && live(t));
        }
        // asked on every console request: one key by its id, not the whole table
        return billing.accounts().key(s.credentialId()).filter(k -> live(k, s, nowMs)).isPresent();
    }

    private static boolean live(AdminToken t) {
        return t.revokedAt() == null;
    }

    private static boolean live(ApiKey k, Session s, long nowMs) {
        return k.tenantId().equals(s.tenantId()) && k.liveAt(nowMs) && !restricted(k);
    }

    /** What a good secret signs in as. */
    record SignedIn(Role role, String tenantId, String credentialId, String who) {}
}
