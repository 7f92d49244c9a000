package io.moxing.serve;

import io.moxing.core.UserException;
import io.moxing.data.DatasetStore;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.drift.InputReference;
import io.moxing.generate.ChatTemplate;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The deployments this process answers, kept in step with the state database: targets added there are
 * loaded (before they take traffic), targets removed or changed are retired once the requests that chose
 * them are answered (see {@link LiveTarget#hold}), and a change of traffic weight alone keeps the loaded
 * model. Knows nothing of HTTP.
 */
public final class LiveDeployments implements AutoCloseable {
    private final Deployments deployments;
    private final ModelRegistry registry;
    private final DatasetStore datasets;
    private final int queueCapacity;
    private final ServerMetrics metrics;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deployment-poller");
        t.setDaemon(true);
        return t;
    });
    private volatile Map<String, List<LiveTarget>> live = Map.of();
    private volatile Map<String, ChatTemplate> chatTemplates = Map.of();

    /** @param datasets where the training data of served versions is looked up for drift metrics; null for none */
    public LiveDeployments(Deployments deployments, ModelRegistry registry, DatasetStore datasets, int queueCapacity,
                           ServerMetrics metrics) {
        this.deployments = deployments;
        this.datasets = datasets;
        this.registry = registry;
        this.queueCapacity = queueCapacity;
        this.metrics = metrics;
    }

    /** Re-reads the deployments every {@code pollMs} (the CLI and other nodes change them). */
    public void poll(int pollMs) {
        poller.scheduleWithFixedDelay(this::reconcileQuietly, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** The loaded targets of a public name (empty when none). */
    public List<LiveTarget> targets(String name) {
        return live.getOrDefault(name, List.of());
    }

    public java.util.Set<String> names() {
        return live.keySet();
    }

    /** The chat template of a deployment: the one it was given ({@code deploy --chat-template}), else the default. */
    public ChatTemplate chatTemplate(String name) {
        return chatTemplates.getOrDefault(name, ChatTemplate.DEFAULT);
    }

    /** Loads targets that were added, retires those removed or changed; the rest keep serving. */
    public synchronized void reconcile() {
        Map<String, List<LiveTarget>> next = new HashMap<>();
        Map<DeploymentTarget, LiveTarget> current = new HashMap<>();
        live.values().forEach(list -> list.forEach(t -> current.put(loadKey(t.target()), t)));
        List<LiveTarget> retired = new ArrayList<>(current.values());
        for (DeploymentTarget wanted : deployments.list()) {
            LiveTarget running = current.get(loadKey(wanted));
            if (running == null) {
                try {
                    running = LiveTarget.load(wanted, registry.resolve(wanted.modelRef()), queueCapacity, metrics,
                            metrics.inputDrift(wanted.deployment(), wanted.version(), () -> reference(wanted)));
                } catch (UserException e) {
                    System.err.println("deployment " + wanted.deployment() + "/" + wanted.alias() + " not loaded: " + e.getMessage());
                    continue;
                }
            } else {
                running.retarget(wanted);
            }
            retired.remove(running);
            next.computeIfAbsent(wanted.deployment(), k -> new ArrayList<>()).add(running);
        }
        live = Map.copyOf(next);
        chatTemplates = templates();
        // requests that chose a retired target before this swap are answered by it before its model closes
        retired.forEach(LiveTarget::retire);
    }

    /**
     * The training distribution of a version's inputs, or null (said once in the log) when it cannot be had:
     * drift is a signal beside serving, never a reason not to serve.
     */
    private InputReference reference(DeploymentTarget wanted) {
        if (datasets == null) return null;
        try {
            ModelVersion card = registry.card(wanted.modelRef());
            // texts have no input distribution of numbers to compare
            if (card.task().isLanguageModel() || card.task() == io.moxing.core.Task.EMBEDDING) return null;
            return InputReference.of(card, registry.provenance(wanted.modelRef()), datasets);
        } catch (RuntimeException e) {
            System.err.println("deployment " + wanted.deployment() + "/" + wanted.alias() + ": no input drift metrics for "
                    + wanted.modelRef() + ", its training data cannot be read (" + e.getMessage() + ")");
            return null;
        }
    }

    /** The deployments' chat templates; one that no longer reads is logged and the default used. */
    private Map<String, ChatTemplate> templates() {
        Map<String, ChatTemplate> out = new HashMap<>();
        deployments.chatTemplates().forEach((name, text) -> {
            try {
                out.put(name, ChatTemplate.parse(text));
            } catch (UserException e) {
                System.err.println("deployment " + name + ": chat template not used, the default serves (" + e.getMessage() + ")");
            }
        });
        return Map.copyOf(out);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            System.err.println("reading deployments failed: " + e.getMessage());
        }
    }

    /** What a loaded target is made of: a change of any of it needs a new load; the traffic weight does not. */
    private static DeploymentTarget loadKey(DeploymentTarget t) {
        return new DeploymentTarget(t.deployment(), t.alias(), t.model(), t.version(), 0, t.maxBatch(), t.maxDelayMs(),
                t.workers());
    }

    @Override
    public synchronized void close() {
        poller.shutdownNow();
        live.values().forEach(list -> list.forEach(LiveTarget::close));
        live = Map.of();
    }
}
