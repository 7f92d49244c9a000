package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Invoice;
import io.moxing.billing.Plan;
import io.moxing.billing.PlanAssignment;
import io.moxing.billing.UsageQuery;
import io.moxing.billing.UsageTotals;
import io.moxing.console.view.TenantViews.Dashboard;
import io.moxing.console.view.TenantViews.ModelEntry;
import io.moxing.console.view.TenantViews.Models;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A tenant's dashboard (this month's usage against its plan's limit, what it has spent so far, requests per day) and
 * the models it may call, each with a call to copy.
 */
final class TenantPages {
    private final BillingAdmin billing;
    private final TenantModels models;
    private final Supplier<String> baseUrl;
    private final Pages pages;

    TenantPages(BillingAdmin billing, TenantModels models, Supplier<String> baseUrl, Pages pages) {
        this.billing = billing;
        this.models = models;
        this.baseUrl = baseUrl;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get("/console/tenant", this::dashboard);
        app.get("/console/tenant/models", ctx -> {
            List<ModelEntry> entries = models.of(Pages.tenant(ctx)).stream()
                    .map(m -> new ModelEntry(m.name(), Snippets.kind(m), m.card().ref(), Snippets.curl(baseUrl.get(), m),
                            DeploymentPages.slug(m.name())))
                    .toList();
            pages.render(ctx, "tenant/models.jte", new Models(pages.frame(ctx, "Models"), entries));
        });
    }

    /** The name of the plan the tenant is on at {@code atMs} ("" before its first). */
    static String planAt(io.moxing.billing.Accounts accounts, String tenant, long atMs) {
        return accounts.assignments(tenant).stream().filter(a -> a.effectiveFrom() <= atMs)
                .reduce((a, b) -> b).map(PlanAssignment::plan).orElse("");
    }

    private void dashboard(Context ctx) {
        String tenant = Pages.tenant(ctx);
        long now = System.currentTimeMillis();
        BillingPeriod month = BillingPeriod.containing(now);
        Plan plan = billing.plan(planAt(billing.accounts(), tenant, now));
        UsageTotals used = billing.ledger().totals(tenant, month.startMs(), now + 1);
        String limitLabel = null;
        long limit = 0;
        long usedOfLimit = 0;
        switch (plan.kind()) {
            case FREE -> {
                if (plan.monthlyQuota() != null) {
                    limitLabel = "requests of the monthly quota";
                    limit = plan.monthlyQuota();
                    usedOfLimit = used.requests();
                }
            }
            case SUBSCRIPTION -> {
                limitLabel = "predictions included in the subscription";
                limit = plan.includedUnits();
                usedOfLimit = used.units();
            }
            case PAY_PER_USE -> { }
        }
        int percent = limit <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * usedOfLimit / limit));
        Invoice draft = billing.draft(tenant, month);
        List<String> days = new ArrayList<>();
        List<String> perDay = new ArrayList<>();
        Map<String, Long> byDay = new HashMap<>();
        billing.ledger().query(new UsageQuery(tenant, null, null, "day", month.startMs(), now + 1))
                .forEach(r -> byDay.put(r.group(), r.charged()));
        LocalDate today = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate d = today.withDayOfMonth(1); !d.isAfter(today); d = d.plusDays(1)) {
            days.add(d.toString());
            perDay.add(Long.toString(byDay.getOrDefault(d.toString(), 0L)));
        }
        pages.render(ctx, "tenant/dashboard.jte", new Dashboard(pages.frame(ctx, "Dashboard"), plan.name(),
                plan.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), used.requests(), used.units(),
                used.tokensIn(), used.tokensOut(), limitLabel, limit, usedOfLimit, percent, draft.total().toPlainString(),
                draft.currency(), String.join(",", days), String.join(",", perDay)));
    }
}
