-- Deployments: a public model name served from one or more targets (a registered model version under an
-- alias such as production or canary), with the share of traffic each target receives.
CREATE TABLE deployment_targets (
    deployment   VARCHAR(64)  NOT NULL,
    alias        VARCHAR(32)  NOT NULL,
    model        VARCHAR(64)  NOT NULL,
    version      INTEGER      NOT NULL,
    weight       INTEGER      NOT NULL,
    max_batch    INTEGER      NOT NULL,
    max_delay_ms INTEGER      NOT NULL,
    workers      INTEGER      NOT NULL,
    created_at   VARCHAR(40)  NOT NULL,
    PRIMARY KEY (deployment, alias)
);
