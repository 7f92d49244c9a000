package io.moxing.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.JsonFields;
import io.moxing.core.UserException;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;

/**
 * A deployment as asked for, by the CLI or the admin API, resolved against the registry: the model
 * version must exist (a name alone means its newest version), and unset settings take defaults sized
 * to the machine.
 */
public final class DeploymentRequests {
    public static final int DEFAULT_MAX_BATCH = 64;
    public static final int DEFAULT_MAX_DELAY_MS = 2;

    private DeploymentRequests() {}

    public static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public static DeploymentTarget target(String modelRef, String name, String alias, Integer weight, Integer maxBatch,
                                          Integer maxDelayMs, Integer workers, ModelRegistry registry) {
        if (modelRef == null || modelRef.isBlank()) {
            throw new UserException("missing_field", "name the model to deploy as MODEL or MODEL:VERSION, e.g. cnn-28:1");
        }
        ModelVersion card = registry.card(modelRef);
        return new DeploymentTarget(name != null ? name : card.name(), alias != null ? alias : "production",
                card.name(), card.version(), weight != null ? weight : 100,
                maxBatch != null ? maxBatch : DEFAULT_MAX_BATCH, maxDelayMs != null ? maxDelayMs : DEFAULT_MAX_DELAY_MS,
                workers != null ? workers : defaultWorkers());
    }

    /** The admin API's body: {"model": "cnn-28:1", "name", "alias", "weight", "max_batch", "max_delay_ms", "workers"}. */
    public static DeploymentTarget target(JsonNode body, ModelRegistry registry) {
        return target(JsonFields.text(body, "model", false), JsonFields.text(body, "name", false),
                JsonFields.text(body, "alias", false), JsonFields.integer(body, "weight"), JsonFields.integer(body, "max_batch"),
                JsonFields.integer(body, "max_delay_ms"), JsonFields.integer(body, "workers"), registry);
    }
}
