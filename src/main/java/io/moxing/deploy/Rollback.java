package io.moxing.deploy;

import io.moxing.core.UserException;
import io.moxing.registry.ModelRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Puts an alias of a deployment (production, by default) back on the model version it served before the
 * current one, keeping the current traffic weight and batching settings. The serving side swaps without
 * dropping a request: the restored version is loaded before it takes traffic, and the replaced one answers
 * every request that had already chosen it.
 *
 * <p>What "before" means is an undo stack replayed from the alias's history: a deploy (or promotion) of a
 * different version pushes it, a rollback pops the version it rolled away from. So after deploys of 1, 2
 * and 3, rollbacks go to 2, then to 1, then refuse (nothing older), instead of ping-ponging between 2 and 3;
 * deploying 3 again after that and rolling back restores 1. A removal of the alias changes nothing on the
 * stack (a rollback needs the alias deployed, and then what served before the removal is still "before").
 */
public final class Rollback {
    /** The reason a rollback's change carries in the history; the replay recognises rollbacks by it. */
    public static final String REASON = "rollback";

    private final Deployments deployments;
    private final ModelRegistry registry;

    public Rollback(Deployments deployments, ModelRegistry registry) {
        this.deployments = deployments;
        this.registry = registry;
    }

    /** What a rollback did: the target that served before it and the one that serves now. */
    public record Result(DeploymentTarget from, DeploymentTarget to) {}

    /** Rolls {@code alias} of {@code deployment} back one version; refuses (nothing_to_roll_back) when there is none. */
    public Result run(String deployment, String alias) {
        DeploymentTarget current = deployments.find(deployment, alias)
                .orElseThrow(() -> new UserException("unknown_deployment", "nothing deployed as '" + deployment
                        + "' with alias " + alias + "; see moxing deployments"));
        String previous = previous(deployments.history(deployment, alias), current.modelRef());
        if (previous == null) {
            throw new UserException("nothing_to_roll_back", deployment + "/" + alias + " has served only "
                    + current.modelRef() + " (or has been rolled back to its first version already); deploy the version"
                    + " you want with: moxing deploy MODEL:VERSION --name " + deployment + " --alias " + alias);
        }
        String[] ref = previous.split(":", 2);
        try {
            registry.resolve(previous);
        } catch (UserException e) {
            // deployed, the server could not load it and the alias would stop answering
            throw new UserException("nothing_to_roll_back", "the version before " + current.modelRef() + " on "
                    + deployment + "/" + alias + " was " + previous + ", which is no longer in the registry; deploy the"
                    + " version you want with: moxing deploy MODEL:VERSION --name " + deployment + " --alias " + alias, e);
        }
        DeploymentTarget restored = new DeploymentTarget(deployment, alias, ref[0], Integer.parseInt(ref[1]), current.weight(),
                current.maxBatch(), current.maxDelayMs(), current.workers());
        deployments.put(restored, REASON);
        return new Result(current, restored);
    }

    /**
     * The MODEL:VERSION a rollback of an alias now serving {@code current} restores, replaying {@code history}
     * (oldest first) as an undo stack; null when there is nothing before it.
     */
    static String previous(List<DeploymentChange> history, String current) {
        Deque<String> served = new ArrayDeque<>();
        for (DeploymentChange change : history) {
            if (change.removed()) continue;
            if (REASON.equals(change.reason())) {
                served.pollLast();
                // two rollbacks at once may both have restored the same version: the stack still ends on it
                if (!change.modelRef().equals(served.peekLast())) served.addLast(change.modelRef());
            } else if (!change.modelRef().equals(served.peekLast())) {
                served.addLast(change.modelRef());
            }
        }
        // a version deployed before the history began, or by hand in the database, is still what serves now
        if (!current.equals(served.peekLast())) served.addLast(current);
        served.pollLast();
        return served.peekLast();
    }
}
