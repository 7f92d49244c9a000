package io.moxing.jobs;

/** Thrown at a safe point of a job asked to stop (cancelled, server shutting down, taken over). */
public final class JobStopped extends RuntimeException {
    public JobStopped(String message) {
        super(message, null, false, false);
    }
}
