package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.BillingAdmin;
import io.moxing.console.view.CommonViews.ComingPage;
import io.moxing.console.view.OperatorViews.Dashboard;
import io.moxing.console.view.OperatorViews.ModelRow;
import io.moxing.console.view.OperatorViews.RunRow;
import io.moxing.console.view.OperatorViews.TenantRow;
import io.moxing.console.view.OperatorViews.Tenants;
import io.moxing.core.MoxingHome;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.train.RunDirectory;
import io.moxing.train.RunRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The operator's overview pages: the dashboard, the tenants, and the placeholders of sections still to be built. */
final class OperatorPages {
    /** Rows of the dashboard's lists. */
    static final int LATEST = 5;
    private final MoxingHome home;
    private final ModelRegistry registry;
    private final Deployments deployments;
    private final BillingAdmin billing;
    private final Pages pages;

    OperatorPages(MoxingHome home, ModelRegistry registry, Deployments deployments, BillingAdmin billing, Pages pages) {
        this.home = home;
        this.registry = registry;
        this.deployments = deployments;
        this.billing = billing;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get("/console/ops", this::dashboard);
        app.get("/console/ops/tenants", this::tenants);
        for (String section : Nav.comingOperatorSections()) {
            app.get("/console/ops/" + section, ctx -> pages.render(ctx, "coming.jte",
                    new ComingPage(pages.frame(ctx, capitalised(section)), section)));
        }
    }

    private void dashboard(Context ctx) {
        List<RunRecord> runs = RunDirectory.list(home.runs());
        List<ModelVersion> models = registry.list();
        List<RunRow> latestRuns = runs.stream().sorted(Comparator.comparing(RunRecord::startedAt,
                        Comparator.nullsFirst(Comparator.naturalOrder())).reversed()).limit(LATEST)
                .map(RunPages::row).toList();
        List<ModelRow> latestModels = newestFirst(models).stream().limit(LATEST)
                .map(m -> new ModelRow(m.ref(), m.task() == null ? "" : m.task().wireName(), m.createdAt(),
                        percent(m.metrics() == null ? null : m.metrics().get("test_accuracy")), m.runId()))
                .toList();
        long served = deployments.list().stream().map(DeploymentTarget::deployment).distinct().count();
        pages.render(ctx, "ops/dashboard.jte", new Dashboard(pages.frame(ctx, "Dashboard"), runs.size(), models.size(),
                (int) served, latestRuns, latestModels));
    }

    private void tenants(Context ctx) {
        long now = System.currentTimeMillis();
        Map<String, Long> liveKeys = billing.accounts().keys().stream().filter(k -> k.liveAt(now))
                .collect(java.util.stream.Collectors.groupingBy(k -> k.tenantId(), java.util.stream.Collectors.counting()));
        List<TenantRow> rows = billing.accounts().tenants().stream()
                .sorted(Comparator.comparing(io.moxing.billing.Tenant::id))
                .map(t -> new TenantRow(t.id(), t.displayName(), TenantPages.planAt(billing.accounts(), t.id(), now), liveKeys.getOrDefault(t.id(), 0L).intValue(),
                        Instant.ofEpochMilli(t.createdAt()).toString()))
                .toList();
        pages.render(ctx, "ops/tenants.jte", new Tenants(pages.frame(ctx, "Tenants"), rows));
    }

    /** Model versions, the newest registered first. */
    static List<ModelVersion> newestFirst(List<ModelVersion> versions) {
        return versions.stream().sorted(Comparator.comparing(ModelVersion::createdAt,
                Comparator.nullsFirst(Comparator.naturalOrder())).reversed()).toList();
    }

    /** A fraction as a percentage with one decimal, or "" when there is none. */
    static String percent(Object fraction) {
        return fraction instanceof Number n ? String.format(java.util.Locale.ROOT, "%.1f%%", n.doubleValue() * 100) : "";
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
