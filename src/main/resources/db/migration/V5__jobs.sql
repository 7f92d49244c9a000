-- Durable background jobs (training, evaluation, feedback export, retraining). A job is a row: a worker
-- claims a queued row with an UPDATE that only matches while it is still queued, so two nodes never take
-- the same job; it heartbeats while it works. A running row whose owner died (or whose heartbeat went
-- stale) is put back in the queue and resumed from resume_ref, which the handler writes as soon as it
-- has something to resume from (a training run's id). Times are epoch milliseconds (UTC).
CREATE TABLE jobs (
    id               VARCHAR(64)      PRIMARY KEY,
    kind             VARCHAR(32)      NOT NULL,
    params           TEXT             NOT NULL,
    state            VARCHAR(16)      NOT NULL,
    attempts         INTEGER          NOT NULL,
    progress         DOUBLE PRECISION,
    progress_message TEXT,
    resume_ref       VARCHAR(200),
    result           TEXT,
    error            TEXT,
    owner            VARCHAR(200),
    cancel_requested SMALLINT         NOT NULL,
    heartbeat_at     BIGINT,
    created_at       BIGINT           NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT
);
CREATE INDEX jobs_state ON jobs (state, created_at);

-- What a job said, for people: a line per epoch or step, never one per heartbeat. Only the newest lines of
-- a job are kept.
CREATE TABLE job_logs (
    job_id VARCHAR(64) NOT NULL,
    seq    BIGINT      NOT NULL,
    at_ms  BIGINT      NOT NULL,
    line   TEXT        NOT NULL,
    PRIMARY KEY (job_id, seq)
);
