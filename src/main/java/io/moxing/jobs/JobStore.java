package io.moxing.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where jobs are kept (the state database). Every change a worker makes names the owner it claimed the
 * job as and only applies while that owner still holds it, so a worker that lost its job (another node
 * took it over after its heartbeat went stale) can no longer change it.
 */
public interface JobStore {

    /** Adds a new job (queued, no attempts). */
    void insert(Job job);

    Optional<Job> find(String id);

    /** Jobs newest first, only those in {@code state} unless it is null. */
    List<Job> list(JobState state, int limit);

    /** Jobs some worker holds: the candidates for recovery. */
    List<Job> running();

    /**
     * Takes the oldest queued job of one of {@code kinds} for {@code owner}: running, one more attempt,
     * heartbeat now. Atomic across processes and nodes: a job is claimed by one owner only.
     */
    Optional<Job> claim(Set<JobKind> kinds, String owner, Instant now);

    /** Records that the owner is alive and how far it got; empty when the owner no longer holds the job. */
    Optional<Job> heartbeat(String id, String owner, Double progress, String message, Instant now);

    /** Writes what the job can be resumed from; false when the owner no longer holds it. */
    boolean remember(String id, String owner, String resumeRef);

    /** Ends a job the owner holds (succeeded, failed or cancelled); false when it no longer holds it. */
    boolean finish(String id, String owner, JobState state, JsonNode result, String error, Instant now);

    /**
     * Puts a running job back in the queue, its resume reference kept, if {@code owner} still holds it and
     * its last heartbeat is no later than {@code heartbeatNotAfter} (so a heartbeat that lands meanwhile wins).
     */
    boolean requeue(String id, String owner, Instant heartbeatNotAfter);

    /** A queued job is cancelled at once; a running one is asked to stop. Empty when there is no such job. */
    Optional<Job> cancel(String id, Instant now);

    /** Appends a line to the job's log and keeps only its newest {@code keep} lines. */
    void log(String id, Instant at, String line, int keep);

    /** The newest {@code last} lines of the job's log, oldest first. */
    List<JobLogLine> logs(String id, int last);
}
