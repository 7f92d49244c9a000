package io.moxing.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * One job as the database holds it; times are written as ISO-8601 instants.
 *
 * @param params          the handler's arguments, e.g. {"spec": "cnn-28", "epochs": 3}
 * @param attempts        how many times a worker has taken it (more than one after a crash)
 * @param progress        0 to 1, null before the handler says
 * @param resumeRef       what the handler remembered to resume from (a training run's id), null before
 * @param owner           the server process holding it while running: host/pid/start
 * @param cancelRequested asked to stop while running; the worker stops it at its next check
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        String id,
        JobKind kind,
        JsonNode params,
        JobState state,
        int attempts,
        Double progress,
        String progressMessage,
        String resumeRef,
        JsonNode result,
        String error,
        String owner,
        boolean cancelRequested,
        @JsonSerialize(using = ToStringSerializer.class) Instant heartbeatAt,
        @JsonSerialize(using = ToStringSerializer.class) Instant createdAt,
        @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
        @JsonSerialize(using = ToStringSerializer.class) Instant finishedAt) {}
