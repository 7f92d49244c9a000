-- A request sent with an Idempotency-Key keeps the fingerprint of what it asked (method, path, body
-- hash), so that the same key on a different request is refused, and the answer it got, so that a retry
-- gets the very same answer (a sampled text cannot be recomputed). Answers are purged after 24 hours;
-- the fingerprint stays with the usage record.
ALTER TABLE usage_records ADD COLUMN request_hash VARCHAR(64);

CREATE TABLE idempotent_answers (
    tenant_id       VARCHAR(64)  NOT NULL,
    idempotency_key VARCHAR(200) NOT NULL,
    content_type    VARCHAR(100) NOT NULL,
    body            BYTEA        NOT NULL,
    at_ms           BIGINT       NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX idempotent_answers_age ON idempotent_answers (at_ms);

-- A key's rate may count predictions (samples) instead of requests; NULL means requests.
ALTER TABLE api_keys ADD COLUMN rate_unit VARCHAR(16);
