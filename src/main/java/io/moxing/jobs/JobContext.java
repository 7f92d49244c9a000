package io.moxing.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What a handler sees of its job: the params, what it remembered before an interruption, and the ways
 * to report progress and log lines and to learn that it should stop. Progress is kept in memory and
 * written with the next heartbeat; {@link #remember} and {@link #log} are written at once.
 */
public final class JobContext {
    /** Log lines a job keeps: enough for an epoch-per-line training log. */
    static final int LOG_LINES_KEPT = 500;

    /** Why a job is asked to stop. */
    enum Stop { CANCELLED, SHUTDOWN, LOST }

    private final Job job;
    private final JobStore store;
    private final String owner;
    private volatile String resumeRef;
    private volatile Stop stop;
    private volatile Double progress;
    private volatile String progressMessage;

    JobContext(Job job, JobStore store, String owner) {
        this.job = job;
        this.store = store;
        this.owner = owner;
        this.resumeRef = job.resumeRef();
        this.progress = job.progress();
        this.progressMessage = job.progressMessage();
    }

    public String jobId() {
        return job.id();
    }

    public JsonNode params() {
        return job.params();
    }

    /** What this job remembered on an earlier attempt (a training run's id); null when it starts afresh. */
    public String resumeRef() {
        return resumeRef;
    }

    /** This attempt's number, 1 for the first. */
    public int attempt() {
        return job.attempts();
    }

    /** Keeps {@code ref} with the job at once, so a restart after a crash resumes from it. */
    public void remember(String ref) {
        if (!store.remember(job.id(), owner, ref)) {
            stop = Stop.LOST;
            throw new JobStopped("job " + job.id() + " is no longer held by this server");
        }
        resumeRef = ref;
    }

    /** How far the job is, 0 to 1, with a short message ("epoch 2/5"). */
    public void progress(double fraction, String message) {
        progress = Math.max(0, Math.min(1, fraction));
        progressMessage = message;
    }

    /** A line for people reading the job's log: a step done, a decision made. Not one per batch. */
    public void log(String line) {
        store.log(job.id(), Instant.now(), line, LOG_LINES_KEPT);
    }

    /** A stream whose lines go to the job's log (for components that print their progress, one line per epoch). */
    public java.io.PrintStream logStream() {
        return new java.io.PrintStream(new LogLines(this::log), true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** True once the job has been cancelled, or the server is stopping, or another node has taken it over. */
    public boolean stopRequested() {
        return stop != null;
    }

    /** Throws {@link JobStopped} if the job should stop: call it at points where stopping loses nothing kept. */
    public void stopIfRequested() {
        if (stop != null) {
            throw new JobStopped("job " + job.id() + " stopped: " + stop.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    Job job() {
        return job;
    }

    Stop stopReason() {
        return stop;
    }

    void requestStop(Stop reason) {
        if (stop == null) stop = reason;
    }

    Double progressValue() {
        return progress;
    }

    String progressMessage() {
        return progressMessage;
    }
}
