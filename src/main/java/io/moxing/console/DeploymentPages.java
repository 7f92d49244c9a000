package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.AuditLog;
import io.moxing.billing.BillingAdmin;
import io.moxing.console.view.OperatorViews.AliasRow;
import io.moxing.console.view.OperatorViews.DeployForm;
import io.moxing.console.view.OperatorViews.DeploymentGroup;
import io.moxing.console.view.OperatorViews.Deployments;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Rollback;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's deployments: each alias with its version and its share of the traffic (a slider sets its weight),
 * a rollback per alias, and a form that deploys a version. Every change goes through the domain ({@code Deployments},
 * {@code Rollback}) as the admin API's do, is audited the same way, and the server loads it before the page returns.
 */
final class DeploymentPages {
    static final String LIST = "/console/ops/deployments";
    private final io.moxing.deploy.Deployments deployments;
    private final ModelRegistry registry;
    private final BillingAdmin billing;
    private final Runnable reconcile;
    private final Pages pages;

    DeploymentPages(io.moxing.deploy.Deployments deployments, ModelRegistry registry, BillingAdmin billing,
                    Runnable reconcile, Pages pages) {
        this.deployments = deployments;
        this.registry = registry;
        this.billing = billing;
        this.reconcile = reconcile;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(LIST, this::list);
        app.post(LIST + "/{name}/{alias}/weight", ctx -> pages.act(ctx, LIST, () -> weigh(ctx)));
        app.post(LIST + "/{name}/{alias}/rollback", ctx -> pages.act(ctx, LIST, () -> rollBack(ctx)));
        app.get("/console/ops/deploy", ctx -> pages.render(ctx, "ops/deploy.jte", new DeployForm(pages.frame(ctx, "Deploy"),
                OperatorPages.newestFirst(registry.list()).stream().map(ModelVersion::ref).toList())));
        app.post("/console/ops/deploy", ctx -> pages.act(ctx, LIST, () -> deploy(ctx)));
    }

    private void list(Context ctx) {
        Map<String, List<DeploymentTarget>> byName = new LinkedHashMap<>();
        deployments.list().stream().sorted(Comparator.comparing(DeploymentTarget::deployment).thenComparing(DeploymentTarget::alias))
                .forEach(t -> byName.computeIfAbsent(t.deployment(), n -> new ArrayList<>()).add(t));
        Map<String, String> owners = billing.accounts().owners();
        List<DeploymentGroup> groups = new ArrayList<>();
        byName.forEach((name, targets) -> {
            int total = targets.stream().mapToInt(DeploymentTarget::weight).sum();
            List<AliasRow> rows = targets.stream().map(t -> new AliasRow(t.alias(), t.modelRef(), t.weight(),
                    total == 0 ? 0 : Math.round(100f * t.weight() / total), slug(name + "-" + t.alias()))).toList();
            groups.add(new DeploymentGroup(name, owners.getOrDefault(name, "public"), rows));
        });
        pages.render(ctx, "ops/deployments.jte", new Deployments(pages.frame(ctx, "Deployments"), groups));
    }

    private String weigh(Context ctx) {
        DeploymentTarget t = target(ctx);
        int weight = weight(ctx.formParam("weight"));
        deployments.put(new DeploymentTarget(t.deployment(), t.alias(), t.model(), t.version(), weight, t.maxBatch(),
                t.maxDelayMs(), t.workers()));
        audit().append(Pages.actor(ctx), "deployment.put", t.deployment() + "/" + t.alias(), t.modelRef() + " weight=" + weight);
        reconcile.run();
        return t.deployment() + "/" + t.alias() + " now has weight " + weight + ".";
    }

    private String rollBack(Context ctx) {
        DeploymentTarget t = target(ctx);
        Rollback.Result r = new Rollback(deployments, registry).run(t.deployment(), t.alias());
        audit().append(Pages.actor(ctx), "deployment.rollback", t.deployment() + "/" + t.alias(),
                r.from().modelRef() + " -> " + r.to().modelRef());
        reconcile.run();
        return t.deployment() + "/" + t.alias() + " rolled back from " + r.from().modelRef() + " to " + r.to().modelRef() + ".";
    }

    private String deploy(Context ctx) {
        String name = ctx.formParam("name");
        String alias = ctx.formParam("alias");
        DeploymentTarget target = DeploymentRequests.target(ctx.formParam("model"), name == null || name.isBlank() ? null : name,
                alias == null || alias.isBlank() ? null : alias, weight(ctx.formParam("weight")), null, null, null, registry);
        deployments.put(target);
        audit().append(Pages.actor(ctx), "deployment.put", target.deployment() + "/" + target.alias(),
                target.modelRef() + " weight=" + target.weight());
        reconcile.run();
        return "Deployed " + target.modelRef() + " as " + target.deployment() + "/" + target.alias() + " (weight "
                + target.weight() + ").";
    }

    /** The target the path names; an unknown one is a 404 like any page that does not exist. */
    private DeploymentTarget target(Context ctx) {
        return deployments.find(ctx.pathParam("name"), ctx.pathParam("alias"))
                .orElseThrow(() -> ConsoleError.notFound("deployment " + ctx.pathParam("name") + "/" + ctx.pathParam("alias")));
    }

    private static int weight(String text) {
        try {
            return text == null || text.isBlank() ? 100 : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UserException("invalid_field", "the weight '" + text + "' must be a whole number from 0 to 100");
        }
    }

    private AuditLog audit() {
        return billing.audit();
    }

    /** A name for element ids: letters, digits and dashes only. */
    static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9-]", "-");
    }
}
