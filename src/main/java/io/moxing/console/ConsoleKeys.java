package io.moxing.console;

import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Secrets;
import io.moxing.privacy.RecordCipher;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The API key the playground calls the API with, one per tenant, named {@value #NAME}: made on the tenant's first
 * playground call, so its calls are metered and charged to the tenant like any other. The console needs its secret
 * on every call but the accounts keep only a hash, so the secret is kept sealed with the data directory's key
 * (AES-GCM, bound to the tenant) in the settings table, where every node of a shared database finds it. It is never
 * shown; revoked or expired, the next call makes a new one.
 */
final class ConsoleKeys {
    static final String NAME = "console";
    private final BillingAdmin billing;
    private final RecordCipher cipher;
    /** Tells the server's admission about a new key before the first call with it. */
    private final Runnable accountsChanged;

    ConsoleKeys(BillingAdmin billing, RecordCipher cipher, Runnable accountsChanged) {
        this.billing = billing;
        this.cipher = cipher;
        this.accountsChanged = accountsChanged;
    }

    /** The tenant's console key (its secret), made now by {@code actor} when it has none that is live. */
    synchronized String secret(String tenant, Actor actor) {
        String setting = "console-key/" + tenant;
        long now = System.currentTimeMillis();
        Optional<String> kept = billing.accounts().setting(setting)
                .map(sealed -> cipher.openText(Base64.getDecoder().decode(sealed), setting))
                .filter(secret -> live(tenant, secret, now));
        if (kept.isPresent()) return kept.get();
        BillingAdmin.NewKey key = billing.issueKey(actor, tenant, NAME, Set.of(), null, null, null, now);
        billing.accounts().putSetting(setting, Base64.getEncoder().encodeToString(cipher.sealText(key.plaintext(), setting)));
        accountsChanged.run();
        return key.plaintext();
    }

    private boolean live(String tenant, String secret, long now) {
        String id = Secrets.keyId(secret);
        return billing.accounts().keys().stream().anyMatch(k -> k.id().equals(id) && k.tenantId().equals(tenant) && k.liveAt(now));
    }
}
