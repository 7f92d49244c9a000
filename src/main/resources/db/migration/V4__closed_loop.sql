-- The closed loop: what a deployment keeps of its predictions, what its users say back, and the rule
-- that retrains it. Inputs, outputs and feedback are stored sealed (AES-GCM, see io.moxing.privacy):
-- the columns beside a sealed record hold only what is needed to find, own and expire it.

-- Per-deployment settings kept apart from deployment_targets, so that a setting never reloads a model.
-- log_days: how long predictions are kept (NULL or 0: not logged).
CREATE TABLE deployment_settings (
    deployment VARCHAR(64) PRIMARY KEY,
    log_days   INTEGER,
    updated_at BIGINT      NOT NULL
);

-- One row per logged request (a request of N rows keeps its N inputs and outputs together); a row is
-- named REQUEST.ROW. Written in the same transaction as the request's usage record.
CREATE TABLE prediction_log (
    request_id VARCHAR(64) PRIMARY KEY,
    tenant_id  VARCHAR(64) NOT NULL,
    deployment VARCHAR(64) NOT NULL,
    model      VARCHAR(64) NOT NULL,
    version    INTEGER     NOT NULL,
    rows_count INTEGER     NOT NULL,
    at_ms      BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    record     BYTEA       NOT NULL
);
CREATE INDEX prediction_log_expiry ON prediction_log (expires_at);
CREATE INDEX prediction_log_deployment ON prediction_log (deployment, at_ms);

-- Feedback on one predicted row. kind says which of label, rating, comment it carries (the values are in
-- the sealed record); has_label lets a retraining policy count labelled items without opening records.
CREATE TABLE feedback (
    id            VARCHAR(40) PRIMARY KEY,
    prediction_id VARCHAR(80) NOT NULL,
    request_id    VARCHAR(64) NOT NULL,
    tenant_id     VARCHAR(64) NOT NULL,
    deployment    VARCHAR(64) NOT NULL,
    model         VARCHAR(64) NOT NULL,
    version       INTEGER     NOT NULL,
    has_label     SMALLINT    NOT NULL,
    at_ms         BIGINT      NOT NULL,
    record        BYTEA       NOT NULL
);
CREATE INDEX feedback_deployment ON feedback (deployment, at_ms);
CREATE INDEX feedback_tenant ON feedback (tenant_id, at_ms);

-- A deployment's retraining rule (gains and drops in percentage points).
CREATE TABLE retraining_policies (
    deployment     VARCHAR(64)      PRIMARY KEY,
    after_feedback INTEGER          NOT NULL,
    metric         VARCHAR(32)      NOT NULL,
    min_gain       DOUBLE PRECISION NOT NULL,
    max_class_drop DOUBLE PRECISION NOT NULL,
    canary         INTEGER,
    epochs         INTEGER          NOT NULL,
    updated_at     BIGINT           NOT NULL
);

-- Every retraining decision, promoted or not, with the evidence (JSON) it was taken on.
CREATE TABLE retraining_decisions (
    id          VARCHAR(40) PRIMARY KEY,
    deployment  VARCHAR(64) NOT NULL,
    at_ms       BIGINT      NOT NULL,
    production  VARCHAR(100) NOT NULL,
    candidate   VARCHAR(100),
    dataset     VARCHAR(100),
    promoted    SMALLINT    NOT NULL,
    reason      TEXT        NOT NULL,
    evidence    TEXT        NOT NULL,
    feedback_to BIGINT      NOT NULL
);
CREATE INDEX retraining_decisions_deployment ON retraining_decisions (deployment, at_ms);
