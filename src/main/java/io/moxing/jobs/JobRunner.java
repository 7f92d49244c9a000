package io.moxing.jobs;

import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs queued jobs on {@code workers} threads inside the server. Each worker claims the oldest queued
 * job whose kind has a handler, runs it and writes how it ended; a ticker heartbeats the jobs held here
 * (with their progress), passes on cancellations, and puts back in the queue the jobs of servers that
 * died: at once for a dead process of this host, after {@value #STALE_BEATS} missed heartbeats for any
 * other. A job interrupted {@value #MAX_ATTEMPTS} times is failed instead of tried forever. On close,
 * running jobs stop at their next safe point and go back to the queue, to be resumed on the next start.
 */
public final class JobRunner implements AutoCloseable {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
    static final int STALE_BEATS = 3;
    static final int MAX_ATTEMPTS = 3;
    private final JobQueue queue;
    private final JobStore store;
    private final int workers;
    private final Duration heartbeat;
    private final String owner;
    private final PrintStream log;
    private final Map<String, JobContext> active = new ConcurrentHashMap<>();
    private ExecutorService pool;
    private ScheduledExecutorService ticker;
    private volatile boolean closing;

    public JobRunner(JobQueue queue, int workers, PrintStream log) {
        this(queue, workers, DEFAULT_HEARTBEAT, Owner.thisProcess(), log);
    }

    /** A runner under a given owner name and heartbeat (tests use two in one process as two nodes). */
    public JobRunner(JobQueue queue, int workers, Duration heartbeat, String owner, PrintStream log) {
        if (workers < 1) throw new IllegalArgumentException("a runner needs at least one worker");
        this.queue = queue;
        this.store = queue.store();
        this.workers = workers;
        this.heartbeat = heartbeat;
        this.owner = owner;
        this.log = log;
    }

    public synchronized JobRunner start() {
        recover();
        pool = Executors.newFixedThreadPool(workers, daemon("job-worker"));
        for (int i = 0; i < workers; i++) pool.execute(this::work);
        ticker = Executors.newSingleThreadScheduledExecutor(daemon("job-heartbeat"));
        ticker.scheduleWithFixedDelay(this::tick, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public String owner() {
        return owner;
    }

    private void work() {
        while (!closing) {
            try {
                Optional<Job> claimed = store.claim(queue.kinds(), owner, Instant.now());
                if (claimed.isPresent()) {
                    execute(claimed.get());
                } else {
                    Thread.sleep(pollMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database was unreachable a moment: say so once per failure and try again later
                log.println("jobs: cannot reach the job queue (" + e.getMessage() + "); retrying");
                try {
                    Thread.sleep(heartbeat.toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private long pollMillis() {
        return Math.min(1000, heartbeat.toMillis());
    }

    private void execute(Job job) {
        Instant now = Instant.now();
        if (job.cancelRequested()) {
            store.finish(job.id(), owner, JobState.CANCELLED, null, null, now);
            log.printf("job %s (%s) cancelled before it ran again%n", job.id(), job.kind().wireName());
            return;
        }
        JobContext context = new JobContext(job, store, owner);
        active.put(job.id(), context);
        long begun = System.nanoTime();
        try {
            String how = job.resumeRef() == null ? "started" : "resumed from " + job.resumeRef() + " (attempt " + job.attempts() + ")";
            log.printf("job %s (%s) %s%n", job.id(), job.kind().wireName(), how);
            context.log(how);
            Object result = queue.handler(job.kind()).run(context);
            end(context, JobState.SUCCEEDED, Json.MAPPER.valueToTree(result), null, begun);
        } catch (RuntimeException e) {
            JobStopped stopped = stoppedIn(e);
            if (stopped != null && context.stopReason() != null) {
                stopped(context, begun);
            } else {
                String error = e instanceof UserException ? e.getMessage() : e.toString();
                if (!(e instanceof UserException)) e.printStackTrace(log);
                end(context, JobState.FAILED, null, error, begun);
            }
        } finally {
            active.remove(job.id());
        }
    }

    private void stopped(JobContext context, long begun) {
        Job job = context.job();
        switch (context.stopReason()) {
            case CANCELLED -> end(context, JobState.CANCELLED, null, null, begun);
            case SHUTDOWN -> {
                if (store.requeue(job.id(), owner, Instant.now())) {
                    safeLog(context, "stopped for a server shutdown; queued again to resume");
                    log.printf("job %s (%s) stopped for shutdown; it resumes on the next start%n", job.id(), job.kind().wireName());
                }
            }
            case LOST -> log.printf("job %s (%s) was taken over by another server (this one's heartbeat was late);"
                    + " stopped here%n", job.id(), job.kind().wireName());
        }
    }

    private void end(JobContext context, JobState state, com.fasterxml.jackson.databind.JsonNode result, String error,
                     long begun) {
        Job job = context.job();
        double seconds = (System.nanoTime() - begun) / 1e9;
        String line = state.wireName() + String.format(" after %.1f s", seconds) + (error == null ? "" : ": " + error);
        safeLog(context, line);
        if (store.finish(job.id(), owner, state, result, error, Instant.now())) {
            log.printf("job %s (%s) %s%n", job.id(), job.kind().wireName(), line);
        } else {
            log.printf("job %s (%s) %s, but another server holds it now; its outcome is not recorded here%n", job.id(),
                    job.kind().wireName(), line);
        }
    }

    private void safeLog(JobContext context, String line) {
        try {
            context.log(line);
        } catch (RuntimeException e) {
            log.println("jobs: cannot write the log of " + context.jobId() + ": " + e.getMessage());
        }
    }

    private static JobStopped stoppedIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JobStopped s) return s;
        }
        return null;
    }

    /** Every heartbeat: the jobs held here say they are alive, and those of dead servers go back to the queue. */
    private void tick() {
        try {
            for (JobContext context : active.values()) {
                Optional<Job> row = store.heartbeat(context.jobId(), owner, context.progressValue(), context.progressMessage(),
                        Instant.now());
                if (row.isEmpty()) {
                    context.requestStop(JobContext.Stop.LOST);
                } else if (row.get().cancelRequested()) {
                    context.requestStop(JobContext.Stop.CANCELLED);
                }
            }
            recover();
        } catch (RuntimeException e) {
            log.println("jobs: heartbeat failed (" + e.getMessage() + "); retrying");
        }
    }

    /**
     * Puts back in the queue the running jobs no live server holds: the owner is a dead process of this
     * host, or its heartbeat is older than {@value #STALE_BEATS} intervals.
     */
    void recover() {
        Instant now = Instant.now();
        Instant stale = now.minus(heartbeat.multipliedBy(STALE_BEATS));
        for (Job job : store.running()) {
            if (active.containsKey(job.id())) continue;
            boolean dead = Owner.deadOnThisHost(job.owner());
            if (!dead && job.heartbeatAt() != null && job.heartbeatAt().isAfter(stale)) continue;
            Instant notAfter = dead ? now : stale;
            String why = dead ? "its server process " + job.owner() + " is gone" : "no heartbeat from " + job.owner()
                    + " since " + job.heartbeatAt();
            if (job.attempts() >= MAX_ATTEMPTS) {
                String error = "interrupted " + job.attempts() + " times (" + why + "); submit it again once the cause is fixed";
                if (store.finish(job.id(), job.owner(), JobState.FAILED, null, error, now)) {
                    store.log(job.id(), now, "failed: " + error, JobContext.LOG_LINES_KEPT);
                    log.printf("job %s (%s) failed: %s%n", job.id(), job.kind().wireName(), error);
                }
            } else if (store.requeue(job.id(), job.owner(), notAfter)) {
                store.log(job.id(), now, "interrupted: " + why + "; queued again", JobContext.LOG_LINES_KEPT);
                log.printf("job %s (%s) was interrupted (%s); queued again%n", job.id(), job.kind().wireName(), why);
            }
        }
    }

    /**
     * Stops taking jobs, asks the running ones to stop at their next safe point and waits up to
     * {@code timeout} for them: each goes back to the queue and resumes on the next start.
     */
    public void close(Duration timeout) {
        synchronized (this) {
            if (closing || pool == null) return;
            closing = true;
        }
        active.values().forEach(c -> c.requestStop(JobContext.Stop.SHUTDOWN));
        pool.shutdown();
        try {
            if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.println("jobs: " + active.size() + " job(s) still running at shutdown; they resume on the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticker.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
