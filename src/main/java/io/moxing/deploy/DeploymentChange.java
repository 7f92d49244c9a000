package io.moxing.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One change of the model version an alias of a deployment serves, as the deployment history keeps it.
 *
 * @param model   null when the alias was removed (then {@code version} is null too)
 * @param atMs    when the change was written, in milliseconds since the epoch (0 when unknown)
 * @param reason  why: {@link #DEPLOY}, {@link #UNDEPLOY}, {@link Rollback#REASON}, or what a caller says
 *                (e.g. a promotion of a retrained version)
 */
public record DeploymentChange(String deployment, String alias, String model, Integer version,
                               @JsonProperty("at_ms") long atMs, String reason) {
    public static final String DEPLOY = "deploy";
    public static final String UNDEPLOY = "undeploy";

    public boolean removed() {
        return model == null;
    }

    /** MODEL:VERSION, or null for a removal. */
    @JsonProperty("model_ref")
    public String modelRef() {
        return removed() ? null : model + ":" + version;
    }
}
