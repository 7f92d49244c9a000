package io.moxing.console;

import io.moxing.billing.AdminToken;
import io.moxing.billing.ApiKey;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Secrets;
import java.util.Optional;

/**
 * The secrets the console accepts, checked as the API checks them: an admin token (mx_admin_...) must be live, an API
 * key (mx_live_...) must match its salted hash, be neither revoked nor expired, and belong to a tenant. A session is
 * only as good as its credential: {@link #live} is asked again on every request, so revoking the key or replacing the
 * admin token ends the sessions opened with it.
 */
final class Credentials {
    private final BillingAdmin billing;

    Credentials(BillingAdmin billing) {
        this.billing = billing;
    }

    /** Who the secret signs in as; empty when it is not a live credential of either kind. */
    Optional<SignedIn> check(String secret, long nowMs) {
        if (secret == null) return Optional.empty();
        String s = secret.strip();
        if (s.startsWith(Secrets.ADMIN_PREFIX)) {
            return billing.admin(s).map(t -> new SignedIn(Role.OPERATOR, null, t.id(), "Operator"));
        }
        Secrets.Presented p = Secrets.parse(Secrets.KEY_PREFIX, s);
        if (p == null) return Optional.empty();
        // one key by its id, not the whole table: this runs on every sign-in
        return billing.accounts().key(p.id())
                .filter(k -> Secrets.matches(p.secret(), k.salt(), k.hash()) && k.liveAt(nowMs))
                .flatMap(k -> billing.accounts().tenant(k.tenantId())
                        .map(t -> new SignedIn(Role.TENANT, t.id(), k.id(), t.displayName())));
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
        return k.tenantId().equals(s.tenantId()) && k.liveAt(nowMs);
    }

    /** What a good secret signs in as. */
    record SignedIn(Role role, String tenantId, String credentialId, String who) {}
}
