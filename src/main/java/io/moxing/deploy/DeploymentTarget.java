package io.moxing.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;

/**
 * One registered model version serving a public model name under an alias (production, canary, ...),
 * with its share of the name's traffic and its batching settings.
 *
 * @param weight     relative share of the deployment's requests (percent when the weights sum to 100)
 * @param maxBatch   the most requests run together as one batch
 * @param maxDelayMs how long the first request of a batch waits for others
 * @param workers    threads running batches of this target
 */
public record DeploymentTarget(String deployment, String alias, String model, int version, int weight,
                               @JsonProperty("max_batch") int maxBatch, @JsonProperty("max_delay_ms") int maxDelayMs,
                               int workers) {

    public DeploymentTarget {
        if (deployment == null || !deployment.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new UserException("invalid_name", "deployment name '" + deployment
                    + "' must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (alias == null || !alias.matches("[a-z][a-z0-9_-]{0,31}")) {
            throw new UserException("invalid_name", "alias '" + alias + "' must be lower-case letters, digits, '_' or '-',"
                    + " e.g. production or canary");
        }
        if (weight < 0 || weight > 100) {
            throw new UserException("invalid_option", "traffic weight " + weight + " must be between 0 and 100 (percent)");
        }
        if (maxBatch < 1 || maxBatch > 4096 || maxDelayMs < 0 || maxDelayMs > 10_000 || workers < 1 || workers > 256) {
            throw new UserException("invalid_option", "max batch " + maxBatch + ", max delay " + maxDelayMs + " ms and "
                    + workers + " workers must be in 1..4096, 0..10000 and 1..256");
        }
    }

    public String modelRef() {
        return model + ":" + version;
    }
}
