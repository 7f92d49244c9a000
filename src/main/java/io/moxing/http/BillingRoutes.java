package io.moxing.http;

import static io.moxing.core.JsonFields.decimal;
import static io.moxing.core.JsonFields.integer;
import static io.moxing.core.JsonFields.number;
import static io.moxing.core.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Caller;
import io.moxing.billing.Costs;
import io.moxing.billing.EconomicsPage;
import io.moxing.billing.Invoice;
import io.moxing.billing.InvoicePage;
import io.moxing.billing.Plan;
import io.moxing.billing.Secrets;
import io.moxing.billing.UsageQuery;
import io.moxing.core.Json;
import io.moxing.core.Moments;
import io.moxing.core.UserException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The business layer's routes: a tenant's own usage and invoices (with its API key), and the admin API
 * (with the admin token, every change audited). A tenant only ever reaches its own records: every
 * tenant route filters by the caller's tenant, and an invoice of another tenant is "not found".
 */
final class BillingRoutes {
    /** The most audit entries one response carries. */
    private static final int MAX_AUDIT_ENTRIES = 1000;
    private final BillingGate gate;
    private final BillingAdmin billing;
    private final long maxBodyBytes;

    BillingRoutes(BillingGate gate, long maxBodyBytes) {
        this.gate = gate;
        this.maxBodyBytes = maxBodyBytes;
        this.billing = gate.billing();
    }

    void register(Javalin app) {
        app.get("/v1/usage", ctx -> {
            Caller c = gate.caller(ctx.header("Authorization"));
            ModelServer.json(ctx, 200, usage(ctx, c.tenant().id(), ctx.queryParam("key")));
        });
        app.get("/v1/invoices", ctx -> ModelServer.json(ctx, 200, Map.of("invoices",
                billing.invoices().invoices(gate.caller(ctx.header("Authorization")).tenant().id()))));
        app.get("/v1/invoices/{id}", ctx -> ModelServer.json(ctx, 200, ownInvoice(ctx)));
        app.get("/v1/invoices/{id}/html", ctx -> ctx.html(InvoicePage.render(ownInvoice(ctx),
                billing.invoices().creditNotes(ctx.pathParam("id")))));

        app.get("/admin/plans", ctx -> ModelServer.json(ctx, 200, Map.of("plans", billing.accounts().plans())));
        app.post("/admin/plans", ctx -> ModelServer.json(ctx, 201, billing.createPlan(actor(ctx), plan(body(ctx)))));
        app.get("/admin/tenants", ctx -> ModelServer.json(ctx, 200, Map.of("tenants", billing.accounts().tenants())));
        app.post("/admin/tenants", ctx -> {
            JsonNode b = body(ctx);
            ModelServer.json(ctx, 201, billing.createTenant(actor(ctx), text(b, "id", true), text(b, "name", false),
                    text(b, "plan", true), System.currentTimeMillis()));
            gate.admission().refresh();
        });
        app.get("/admin/tenants/{tenant}", ctx -> {
            String id = ctx.pathParam("tenant");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenant", billing.tenant(id));
            out.put("plans", billing.accounts().assignments(id));
            out.put("keys", billing.keys(id));
            ModelServer.json(ctx, 200, out);
        });
        app.put("/admin/tenants/{tenant}/plan", ctx -> {
            JsonNode b = body(ctx);
            String at = text(b, "at", false);
            ModelServer.json(ctx, 200, billing.changePlan(actor(ctx), ctx.pathParam("tenant"), text(b, "plan", true),
                    at == null ? System.currentTimeMillis() : Moments.parse("at", at)));
            gate.admission().refresh();
        });
        app.get("/admin/tenants/{tenant}/keys", ctx -> {
            billing.tenant(ctx.pathParam("tenant"));
            ModelServer.json(ctx, 200, Map.of("keys", billing.keys(ctx.pathParam("tenant"))));
        });
        app.post("/admin/tenants/{tenant}/keys", this::issueKey);
        app.delete("/admin/keys/{key}", ctx -> {
            billing.revokeKey(actor(ctx), ctx.pathParam("key"), System.currentTimeMillis());
            gate.admission().refresh();
            ModelServer.json(ctx, 200, Map.of("revoked", ctx.pathParam("key")));
        });
        app.put("/admin/deployments/{name}/owner", ctx -> {
            String tenant = text(body(ctx), "tenant", false);
            billing.own(actor(ctx), ctx.pathParam("name"), tenant);
            gate.admission().refresh();
            ModelServer.json(ctx, 200, Map.of("deployment", ctx.pathParam("name"), "owner", tenant == null ? "public" : tenant));
        });
        app.get("/admin/usage", ctx -> ModelServer.json(ctx, 200, usage(ctx, ctx.queryParam("tenant"), ctx.queryParam("key"))));
        app.get("/admin/invoices", ctx -> ModelServer.json(ctx, 200, Map.of("invoices",
                billing.invoices().invoices(ctx.queryParam("tenant")))));
        app.post("/admin/tenants/{tenant}/invoices", ctx -> ModelServer.json(ctx, 201, billing.issue(actor(ctx),
                ctx.pathParam("tenant"), BillingPeriod.parse(text(body(ctx), "period", true)), System.currentTimeMillis())));
        app.get("/admin/tenants/{tenant}/invoices/draft", ctx -> ModelServer.json(ctx, 200, billing.draft(ctx.pathParam("tenant"),
                period(ctx))));
        app.get("/admin/invoices/{id}", ctx -> ModelServer.json(ctx, 200, invoice(ctx.pathParam("id"))));
        app.get("/admin/invoices/{id}/html", ctx -> ctx.html(InvoicePage.render(invoice(ctx.pathParam("id")),
                billing.invoices().creditNotes(ctx.pathParam("id")))));
        app.post("/admin/invoices/{id}/credit-notes", ctx -> {
            JsonNode b = body(ctx);
            ModelServer.json(ctx, 201, billing.credit(actor(ctx), ctx.pathParam("id"), decimal(b, "amount", true),
                    text(b, "reason", true), System.currentTimeMillis()));
        });
        app.get("/admin/economics", ctx -> ModelServer.json(ctx, 200, billing.economics(period(ctx))));
        app.get("/admin/economics/html", ctx -> ctx.html(EconomicsPage.render(billing.economics(period(ctx)))));
        app.put("/admin/costs", ctx -> {
            JsonNode b = body(ctx);
            Costs costs = new Costs(text(b, "currency", false), decimal(b, "per_compute_hour", true),
                    java.util.Objects.requireNonNullElse(text(b, "hardware", false), "cpu"),
                    java.util.Objects.requireNonNullElse(decimal(b, "fixed_monthly", false), BigDecimal.ZERO));
            ModelServer.json(ctx, 200, billing.setCosts(actor(ctx), costs));
        });
        app.get("/admin/audit", ctx -> ModelServer.json(ctx, 200, Map.of("entries",
                billing.audit().recent(LimitParameter.of(ctx, 100, MAX_AUDIT_ENTRIES)),
                "first_broken", billing.audit().firstBroken())));
    }

    private void issueKey(Context ctx) {
        JsonNode b = body(ctx);
        Set<String> models = new HashSet<>();
        JsonNode m = b.get("models");
        if (m != null && !m.isNull()) {
            if (!m.isArray()) throw new ApiError(400, "invalid_field", "field \"models\" must be a list of deployment names");
            m.forEach(n -> models.add(n.asText()));
        }
        String expires = text(b, "expires_at", false);
        var key = billing.issueKey(actor(ctx), ctx.pathParam("tenant"), text(b, "name", false), models,
                number(b, "rate_per_second"), integer(b, "burst"), io.moxing.billing.RateUnit.parse(text(b, "rate_unit", false)),
                expires == null ? null : Moments.parse("expires_at", expires),
                System.currentTimeMillis());
        gate.admission().refresh();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", key.plaintext());
        out.put("shown_once", true);
        out.put("details", key.key().view());
        ModelServer.json(ctx, 201, out);
    }

    private Invoice ownInvoice(Context ctx) {
        Caller c = gate.caller(ctx.header("Authorization"));
        return billing.invoices().invoice(ctx.pathParam("id")).filter(i -> i.tenant().equals(c.tenant().id()))
                .orElseThrow(() -> new ApiError(404, "unknown_invoice", "no invoice '" + ctx.pathParam("id") + "'"));
    }

    private Invoice invoice(String id) {
        return billing.invoices().invoice(id).orElseThrow(() -> new ApiError(404, "unknown_invoice", "no invoice '" + id + "'"));
    }

    /** Usage grouped by ?by= (day, month, model, key, tenant) between ?from= and ?to= (days, UTC; default this month). */
    private Map<String, Object> usage(Context ctx, String tenant, String key) {
        BillingPeriod month = BillingPeriod.containing(System.currentTimeMillis());
        long from = ctx.queryParam("from") == null ? month.startMs() : Moments.parse("from", ctx.queryParam("from"));
        long to = ctx.queryParam("to") == null ? month.endMs() : Moments.parse("to", ctx.queryParam("to")) + 86_400_000L;
        UsageQuery q = new UsageQuery(tenant, key == null ? null : Secrets.keyId(key), ctx.queryParam("model"),
                ctx.queryParam("by"), from, to);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenant", tenant);
        out.put("by", q.by());
        out.put("from", Instant.ofEpochMilli(from).toString());
        out.put("to", Instant.ofEpochMilli(to).toString());
        out.put("rows", billing.ledger().query(q));
        return out;
    }

    private static Actor actor(Context ctx) {
        return ctx.attribute("actor");
    }

    private JsonNode body(Context ctx) {
        JsonNode b = RequestDecoder.json(BodyReader.readBlocking(ctx.req(), maxBodyBytes));
        if (!b.isObject()) throw new ApiError(400, "invalid_json", "the body must be a JSON object");
        return b;
    }

    private static Plan plan(JsonNode b) {
        try {
            return Json.MAPPER.treeToValue(b, Plan.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UserException u) throw u;
            throw new ApiError(400, "invalid_field", "the plan does not read: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * ?limit= on the audit log: a whole number from 1 to {@value #MAX_AUDIT_ENTRIES}, 100 when absent. Read here rather
     * than with Javalin's validator, whose refusal has its own body instead of this API's error, and bounded both
     * ways: SQLite reads LIMIT -1 as no limit at all, and a huge one reads the whole log into one response.
     */
    private static BillingPeriod period(Context ctx) {
        String p = ctx.queryParam("period");
        return p == null ? BillingPeriod.containing(System.currentTimeMillis()) : BillingPeriod.parse(p);
    }
}
