package io.moxing.deploy;

import java.util.List;

/** Where deployments are kept (the state database); the server and the CLI share it. */
public interface Deployments {
    List<DeploymentTarget> list();

    /** Adds or replaces the target of {@code target.deployment()} under {@code target.alias()}. */
    void put(DeploymentTarget target);

    /** Removes one alias, or every alias of the deployment when {@code alias} is null; returns how many. */
    int remove(String deployment, String alias);
}
