-- The business layer: tenants, plans, API keys (salted hashes only), usage, invoices, credit notes, the
-- admin audit log. Times are epoch milliseconds (UTC); money is kept as decimal strings, because SQLite
-- has no exact decimal type and an invoice must add up to the cent on both engines.
CREATE TABLE tenants (
    id           VARCHAR(64)  PRIMARY KEY,
    display_name VARCHAR(200) NOT NULL,
    created_at   BIGINT       NOT NULL
);

-- A plan never changes once created (an issued invoice must be reproducible); new prices are a new plan.
CREATE TABLE plans (
    name       VARCHAR(64) PRIMARY KEY,
    kind       VARCHAR(16) NOT NULL,
    currency   VARCHAR(3)  NOT NULL,
    terms      TEXT        NOT NULL,
    created_at BIGINT      NOT NULL
);

-- A tenant is on the plan of its latest assignment at or before a moment; a change mid-period is pro-rated.
CREATE TABLE plan_assignments (
    tenant_id      VARCHAR(64) NOT NULL,
    plan           VARCHAR(64) NOT NULL,
    effective_from BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, effective_from)
);

CREATE TABLE api_keys (
    id              VARCHAR(32)  PRIMARY KEY,
    tenant_id       VARCHAR(64)  NOT NULL,
    name            VARCHAR(200) NOT NULL,
    salt            VARCHAR(64)  NOT NULL,
    hash            VARCHAR(64)  NOT NULL,
    models          TEXT,
    rate_per_second DOUBLE PRECISION,
    burst           INTEGER,
    expires_at      BIGINT,
    revoked_at      BIGINT,
    created_at      BIGINT       NOT NULL
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE admin_tokens (
    id         VARCHAR(32) PRIMARY KEY,
    salt       VARCHAR(64) NOT NULL,
    hash       VARCHAR(64) NOT NULL,
    created_at BIGINT      NOT NULL,
    revoked_at BIGINT
);

-- A deployment owned by a tenant is private to it; one without an owner is public.
CREATE TABLE deployment_owners (
    deployment VARCHAR(64) PRIMARY KEY,
    tenant_id  VARCHAR(64) NOT NULL
);

-- One row per served request. A retried request carries the same idempotency key and is charged once:
-- the key is unique per tenant among charged rows (NULLs never collide).
CREATE TABLE usage_records (
    request_id      VARCHAR(64)      PRIMARY KEY,
    tenant_id       VARCHAR(64)      NOT NULL,
    key_id          VARCHAR(32)      NOT NULL,
    plan            VARCHAR(64)      NOT NULL,
    model           VARCHAR(64)      NOT NULL,
    version         INTEGER          NOT NULL,
    units           INTEGER          NOT NULL,
    tokens_in       INTEGER          NOT NULL,
    tokens_out      INTEGER          NOT NULL,
    compute_us      BIGINT           NOT NULL,
    batch_size      INTEGER          NOT NULL,
    status          INTEGER          NOT NULL,
    charged         SMALLINT         NOT NULL,
    at_ms           BIGINT           NOT NULL,
    day             VARCHAR(10)      NOT NULL,
    month           VARCHAR(7)       NOT NULL,
    idempotency_key VARCHAR(200)
);
CREATE UNIQUE INDEX usage_idempotency ON usage_records (tenant_id, idempotency_key);
CREATE INDEX usage_tenant_time ON usage_records (tenant_id, at_ms);

-- Issued invoices are never updated; corrections are credit notes.
CREATE TABLE invoices (
    id        VARCHAR(64) PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL,
    period    VARCHAR(7)  NOT NULL,
    currency  VARCHAR(3)  NOT NULL,
    total     VARCHAR(40) NOT NULL,
    document  TEXT        NOT NULL,
    issued_at BIGINT      NOT NULL,
    UNIQUE (tenant_id, period)
);

CREATE TABLE credit_notes (
    id         VARCHAR(64) PRIMARY KEY,
    invoice_id VARCHAR(64) NOT NULL,
    tenant_id  VARCHAR(64) NOT NULL,
    amount     VARCHAR(40) NOT NULL,
    currency   VARCHAR(3)  NOT NULL,
    reason     TEXT        NOT NULL,
    issued_at  BIGINT      NOT NULL
);

-- Append-only: each entry carries the hash of the previous one, so a removed or edited entry shows.
CREATE TABLE audit_log (
    seq       BIGINT       PRIMARY KEY,
    at_ms     BIGINT       NOT NULL,
    actor     VARCHAR(200) NOT NULL,
    source    VARCHAR(200) NOT NULL,
    action    VARCHAR(64)  NOT NULL,
    target    VARCHAR(200) NOT NULL,
    detail    TEXT         NOT NULL,
    prev_hash VARCHAR(64)  NOT NULL,
    hash      VARCHAR(64)  NOT NULL
);

CREATE TABLE settings (
    name  VARCHAR(64) PRIMARY KEY,
    value TEXT        NOT NULL
);
