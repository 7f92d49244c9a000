package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.BuildInfo;
import java.util.Map;

/**
 * How a model version was made: enough to repeat the run (spec with overrides applied, data-set
 * version and hash, seed) and to judge it (metrics, cost, code and machine).
 */
public record Provenance(
        @JsonProperty("run_id") String runId,
        JsonNode spec,
        DatasetRef dataset,
        long seed,
        @JsonProperty("epochs_completed") int epochsCompleted,
        Map<String, Double> metrics,
        BuildInfo code,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("duration_seconds") double durationSeconds,
        long parameters,
        @JsonProperty("forward_flops_per_sample") long forwardFlops,
        @JsonProperty("parameters_sha256") String parametersSha256) {}
