package io.moxing.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs jobs of one kind. {@link #run} is called for a new job and again for one interrupted by a crash
 * or a shutdown, then with {@link JobContext#resumeRef()} set to what it remembered: it must continue
 * from there and never redo work whose effects are already kept (a registered model version).
 */
public interface JobHandler {

    /** Refuses, before the job is queued, params it could never run: a UserException naming the field. */
    default void validate(JsonNode params) {}

    /**
     * Runs or resumes the job and returns its result (written to the job as JSON). Checks
     * {@link JobContext#stopIfRequested()} at safe points; throwing {@link JobStopped} ends it there.
     */
    Object run(JobContext context);
}
