package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.BuildInfo;
import java.util.Map;

/**
 * How a model version was made: enough to repeat the run (spec with overrides applied, data-set
 * version and hash, seed) and to judge it (metrics, cost, code and machine). An imported version (a
 * pretrained sentence encoder) has no run, spec or data set: its {@link ImportSource} says where its files
 * came from and their SHA-256. A compressed version ({@code moxing compress}) names its original and the method in
 * {@link CompressedFrom}; its run id is null (no run directory: the fine-tune, if any, is part of the compression).
 * A version chosen by a hyper-parameter search carries the {@link SearchProvenance}: the space, every trial and the
 * budget, so "why this model" has an answer beside "how it was trained".
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
        @JsonProperty("parameters_sha256") String parametersSha256,
        @JsonInclude(JsonInclude.Include.NON_NULL) ImportSource imported,
        @JsonInclude(JsonInclude.Include.NON_NULL) CompressedFrom compressed,
        @JsonInclude(JsonInclude.Include.NON_NULL) SearchProvenance search) {

    /** A trained version's provenance. */
    public Provenance(String runId, JsonNode spec, DatasetRef dataset, long seed, int epochsCompleted,
                      Map<String, Double> metrics, BuildInfo code, String startedAt, String finishedAt, double durationSeconds,
                      long parameters, long forwardFlops, String parametersSha256) {
        this(runId, spec, dataset, seed, epochsCompleted, metrics, code, startedAt, finishedAt, durationSeconds, parameters,
                forwardFlops, parametersSha256, null, null, null);
    }

    /** The same provenance, naming the search that chose this version. */
    public Provenance withSearch(SearchProvenance chosenBy) {
        return new Provenance(runId, spec, dataset, seed, epochsCompleted, metrics, code, startedAt, finishedAt,
                durationSeconds, parameters, forwardFlops, parametersSha256, imported, compressed, chosenBy);
    }

    /** An imported version's provenance: where it came from, when, by which code, and its model file's hash. */
    public static Provenance imported(ImportSource source, long parameters, String at) {
        return new Provenance(null, null, null, 0, 0, Map.of(), BuildInfo.current(), at, at, 0, parameters, 0,
                source.modelSha256(), source, null, null);
    }
}
