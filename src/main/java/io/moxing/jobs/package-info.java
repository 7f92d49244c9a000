/**
 * Durable background jobs: training, evaluation, feedback export and retraining queued in the state
 * database and run one at a time (or N) by a {@link io.moxing.jobs.JobRunner} inside the server. A job
 * interrupted by a crash is put back in the queue and resumed from the reference its handler remembered,
 * never lost and never run twice. Knows nothing of HTTP, SQL or the CLI: the store package implements
 * {@link io.moxing.jobs.JobStore}, the feature packages implement {@link io.moxing.jobs.JobHandler}.
 */
package io.moxing.jobs;
