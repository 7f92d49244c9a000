package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.ApiKey;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Secrets;
import io.moxing.console.view.Frame.Flash;
import io.moxing.console.view.TenantViews.KeyRow;
import io.moxing.console.view.TenantViews.Keys;
import io.moxing.console.view.TenantViews.NewKey;
import io.moxing.core.UserException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A tenant's API keys: listed (never their secrets), created (restricted to some of its models, expiring on a day;
 * the secret is shown on the answer to the form and never again) and revoked. Another tenant's key is "not found".
 */
final class KeyPages {
    static final String PATH = "/console/tenant/keys";
    private final BillingAdmin billing;
    private final TenantModels models;
    private final Pages pages;
    /** Tells the server's admission about a new or revoked key at once, as the admin API does. */
    private final Runnable accountsChanged;

    KeyPages(BillingAdmin billing, TenantModels models, Pages pages, Runnable accountsChanged) {
        this.billing = billing;
        this.models = models;
        this.pages = pages;
        this.accountsChanged = accountsChanged;
    }

    void register(Javalin app) {
        app.get(PATH, ctx -> show(ctx, null, null));
        app.post(PATH, this::create);
        app.post(PATH + "/{id}/revoke", ctx -> {
            ApiKey key = own(ctx, ctx.pathParam("id"));
            pages.act(ctx, PATH, () -> {
                billing.revokeKey(Pages.actor(ctx), key.id(), System.currentTimeMillis());
                accountsChanged.run();
                return "Revoked " + Secrets.KEY_PREFIX + key.id() + ".";
            });
        });
    }

    /**
     * Creates the key and answers with the page itself, the secret in it: a redirect would have to keep the secret
     * somewhere until the next request. The page is not cached (every console answer is no-store).
     */
    private void create(Context ctx) {
        String tenant = Pages.tenant(ctx);
        NewKey shown = null;
        Flash outcome;
        try {
            Set<String> allowed = new HashSet<>(ctx.formParams("models"));
            for (String m : allowed) {
                if (models.find(tenant, m).isEmpty()) throw new UserException("unknown_model", "no model '" + m + "' to restrict a key to");
            }
            var key = billing.issueKey(Pages.actor(ctx), tenant, ctx.formParam("name"), allowed, null, null,
                    expiry(ctx.formParam("expires")), System.currentTimeMillis());
            accountsChanged.run();
            shown = new NewKey(Secrets.KEY_PREFIX + key.key().id(), key.plaintext());
            outcome = Flash.ok("Created " + shown.prefix() + ". Copy its secret now: it is not shown again.");
        } catch (UserException e) {
            outcome = Flash.error(e.getMessage());
        }
        show(ctx, shown, outcome);
    }

    private void show(Context ctx, NewKey shown, Flash outcome) {
        String tenant = Pages.tenant(ctx);
        long now = System.currentTimeMillis();
        List<KeyRow> rows = billing.accounts().keys().stream().filter(k -> k.tenantId().equals(tenant))
                .sorted(Comparator.comparingLong(ApiKey::createdAt).reversed())
                .map(k -> new KeyRow(k.id(), Secrets.KEY_PREFIX + k.id(), k.name(),
                        k.models().isEmpty() ? "all" : String.join(", ", k.models().stream().sorted().toList()),
                        k.expiresAt() == null ? "never" : java.time.Instant.ofEpochMilli(k.expiresAt()).toString(),
                        k.revokedAt() != null ? "revoked" : k.liveAt(now) ? "live" : "expired",
                        ConsoleKeys.NAME.equals(k.name())))
                .toList();
        var frame = pages.frame(ctx, "API keys");
        if (outcome != null) frame = frame.withFlash(outcome);
        pages.render(ctx, "tenant/keys.jte", new Keys(frame, rows,
                models.of(tenant).stream().map(TenantModels.Callable::name).toList(), shown));
    }

    /** The tenant's own key of that id; another tenant's is answered exactly as a missing one. */
    private ApiKey own(Context ctx, String id) {
        String tenant = Pages.tenant(ctx);
        return billing.accounts().keys().stream().filter(k -> k.id().equals(Secrets.keyId(id)) && k.tenantId().equals(tenant))
                .findFirst().orElseThrow(() -> ConsoleError.notFound("key " + id));
    }

    /** The end of the day a key expires on (a date from the form, UTC), or null for never. */
    private static Long expiry(String date) {
        if (date == null || date.isBlank()) return null;
        try {
            return LocalDate.parse(date.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new UserException("invalid_field", "the expiry '" + date + "' must be a date like 2027-01-31");
        }
    }
}
