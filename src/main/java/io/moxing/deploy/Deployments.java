package io.moxing.deploy;

import java.util.List;

/**
 * Where deployments are kept (the state database); the server and the CLI share it. Every change of the
 * model version an alias serves is recorded in the deployment's history with the change itself, whoever
 * makes it, so a rollback can always find what served before.
 */
public interface Deployments {
    List<DeploymentTarget> list();

    /** The target {@code deployment} serves under {@code alias}, if any. */
    default java.util.Optional<DeploymentTarget> find(String deployment, String alias) {
        return list().stream().filter(t -> t.deployment().equals(deployment) && t.alias().equals(alias)).findFirst();
    }

    /**
     * Adds or replaces the target of {@code target.deployment()} under {@code target.alias()}; when that
     * changes the model version the alias serves, records it in the history, with {@code reason}, in the
     * same transaction.
     */
    void put(DeploymentTarget target, String reason);

    /** {@link #put(DeploymentTarget, String)} as an ordinary deploy. */
    default void put(DeploymentTarget target) {
        put(target, DeploymentChange.DEPLOY);
    }

    /**
     * Removes one alias, or every alias of the deployment when {@code alias} is null, recording each removal
     * in the history; returns how many.
     */
    int remove(String deployment, String alias);

    /** The changes of one alias of a deployment, oldest first (empty when it never had one). */
    List<DeploymentChange> history(String deployment, String alias);

    /** The chat templates deployments were given (the text of each), by deployment; those without one are absent. */
    java.util.Map<String, String> chatTemplates();

    /** Gives a deployment a chat template (its text, checked by the caller), or takes it away with null. */
    void setChatTemplate(String deployment, String template);
}
