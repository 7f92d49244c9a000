package io.moxing.console.view;

import java.util.List;

/** The operator's pages: the dashboard, deployments, the deploy form and the tenants. */
public final class OperatorViews {
    private OperatorViews() {}

    public record Dashboard(Frame frame, int runs, int models, int deployments, List<RunRow> latestRuns,
                            List<ModelRow> latestModels) {}

    /** @param accuracy the test accuracy as a percentage text, or "" while unknown */
    public record RunRow(String id, String model, String dataset, String status, String epochs, String accuracy,
                         String startedAt) {}

    public record ModelRow(String ref, String task, String createdAt, String accuracy, String runId) {}

    public record Deployments(Frame frame, List<DeploymentGroup> deployments) {}

    /** @param owner the tenant it is private to, or "public" */
    public record DeploymentGroup(String name, String owner, List<AliasRow> aliases) {}

    /**
     * @param share the alias's part of the deployment's traffic, in percent of the summed weights
     * @param slug  a name for element ids, unique on the page
     */
    public record AliasRow(String alias, String modelRef, int weight, int share, String slug) {}

    /** @param models every registered version (MODEL:VERSION), newest first */
    public record DeployForm(Frame frame, List<String> models) {}

    public record Tenants(Frame frame, List<TenantRow> tenants) {}

    public record TenantRow(String id, String name, String plan, int liveKeys, String createdAt) {}
}
