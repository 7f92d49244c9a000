package io.moxing.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Hashing;
import io.moxing.core.UserException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The jobs as the CLI, the admin API and the runner share them: the store and the handler of each kind.
 * A job is only queued if a handler of its kind is registered and accepts its params, so a mistake is
 * answered when it is submitted, not found in a log later.
 */
public final class JobQueue {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private final JobStore store;
    private final Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);

    public JobQueue(JobStore store) {
        this.store = store;
    }

    /** Adds the handler of a kind (before a runner starts). */
    public synchronized JobQueue register(JobKind kind, JobHandler handler) {
        handlers.put(kind, handler);
        return this;
    }

    public Job submit(JobKind kind, JsonNode params) {
        if (params == null || !params.isObject()) {
            throw new UserException("invalid_field", "field \"params\" must be a JSON object, e.g. {\"spec\": \"cnn-28\"}");
        }
        handler(kind).validate(params);
        Instant now = Instant.now();
        String id = "job-" + STAMP.format(now) + "-"
                + Hashing.sha256((System.nanoTime() + "/" + Math.random()).getBytes()).substring(0, 6);
        Job job = new Job(id, kind, params, JobState.QUEUED, 0, null, null, null, null, null, null, false, null, now, null, null);
        store.insert(job);
        return job;
    }

    public Job get(String id) {
        return store.find(id).orElseThrow(() -> new UserException("unknown_job", "no job '" + id + "'; see moxing jobs list"));
    }

    public List<Job> list(JobState state, int limit) {
        return store.list(state, limit);
    }

    /** Cancels a queued job at once and asks a running one to stop at its next safe point. */
    public Job cancel(String id) {
        Job before = get(id);
        if (before.state().finished()) {
            throw new UserException("job_finished", "job " + id + " has already " + before.state().wireName()
                    + "; there is nothing to cancel");
        }
        return store.cancel(id, Instant.now()).orElseThrow();
    }

    /** The job with the newest {@code logLines} lines of its log. */
    public JobDetail detail(String id, int logLines) {
        return new JobDetail(get(id), store.logs(id, logLines));
    }

    public JobStore store() {
        return store;
    }

    synchronized JobHandler handler(JobKind kind) {
        JobHandler h = handlers.get(kind);
        if (h == null) {
            throw new UserException("unsupported_kind", "this Moxing runs no '" + kind.wireName() + "' jobs; it runs "
                    + (handlers.isEmpty() ? "none" : handlers.keySet().stream().map(JobKind::wireName).collect(Collectors.joining(", "))));
        }
        return h;
    }

    synchronized Set<JobKind> kinds() {
        return Set.copyOf(handlers.keySet());
    }
}
