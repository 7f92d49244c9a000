-- Every change of which model version an alias of a deployment serves, written in the transaction of the
-- change itself (so a promotion, a deploy from the CLI or the admin API and a rollback all leave their
-- entry): what moxing rollback reads to find the version that served before. A removal is an entry with
-- no model. seq numbers the entries of one alias, 1, 2, 3... (no autoincrement: the same SQL on SQLite
-- and PostgreSQL).
CREATE TABLE deployment_history (
    deployment VARCHAR(64)  NOT NULL,
    alias      VARCHAR(32)  NOT NULL,
    seq        INTEGER      NOT NULL,
    model      VARCHAR(64),
    version    INTEGER,
    at_ms      BIGINT       NOT NULL,
    reason     VARCHAR(200) NOT NULL,
    PRIMARY KEY (deployment, alias, seq)
);

-- What was deployed when the history began is its first entry (its time is unknown).
INSERT INTO deployment_history (deployment, alias, seq, model, version, at_ms, reason)
    SELECT deployment, alias, 1, model, version, 0, 'in place when the history began' FROM deployment_targets;
