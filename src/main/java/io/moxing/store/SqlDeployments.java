package io.moxing.store;

import io.moxing.deploy.DeploymentChange;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Deployments in the state database, with the history of each alias written in the transaction of its change. */
public final class SqlDeployments implements Deployments {
    private final Database db;

    public SqlDeployments(Database db) {
        this.db = db;
    }

    @Override
    public List<DeploymentTarget> list() {
        return db.transaction(c -> {
            List<DeploymentTarget> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT deployment, alias, model, version, weight, max_batch,"
                    + " max_delay_ms, workers FROM deployment_targets ORDER BY deployment, alias");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new DeploymentTarget(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getInt(5),
                            r.getInt(6), r.getInt(7), r.getInt(8)));
                }
            }
            return out;
        });
    }

    @Override
    public void put(DeploymentTarget t, String reason) {
        db.writeTransaction(c -> {
            List<String> before = Sql.query(c, "SELECT model, version FROM deployment_targets WHERE deployment = ? AND alias = ?",
                    r -> r.getString(1) + ":" + r.getInt(2), t.deployment(), t.alias());
            Sql.update(c, "DELETE FROM deployment_targets WHERE deployment = ? AND alias = ?", t.deployment(), t.alias());
            try (PreparedStatement s = c.prepareStatement("INSERT INTO deployment_targets (deployment, alias, model, version,"
                    + " weight, max_batch, max_delay_ms, workers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, t.deployment());
                s.setString(2, t.alias());
                s.setString(3, t.model());
                s.setInt(4, t.version());
                s.setInt(5, t.weight());
                s.setInt(6, t.maxBatch());
                s.setInt(7, t.maxDelayMs());
                s.setInt(8, t.workers());
                s.setString(9, Instant.now().toString());
                s.executeUpdate();
            }
            // a change of weight or batching alone serves the same version: not a change the history keeps
            if (before.isEmpty() || !Objects.equals(before.get(0), t.modelRef())) {
                record(c, t.deployment(), t.alias(), t.model(), t.version(), reason);
            }
            return null;
        });
    }

    @Override
    public int remove(String deployment, String alias) {
        return db.writeTransaction(c -> {
            List<String> aliases = Sql.query(c, alias == null
                    ? "SELECT alias FROM deployment_targets WHERE deployment = ?"
                    : "SELECT alias FROM deployment_targets WHERE deployment = ? AND alias = ?",
                    r -> r.getString(1), alias == null ? new Object[] {deployment} : new Object[] {deployment, alias});
            for (String a : aliases) {
                Sql.update(c, "DELETE FROM deployment_targets WHERE deployment = ? AND alias = ?", deployment, a);
                record(c, deployment, a, null, null, DeploymentChange.UNDEPLOY);
            }
            return aliases.size();
        });
    }

    @Override
    public List<DeploymentChange> history(String deployment, String alias) {
        return Sql.query(db, "SELECT deployment, alias, model, version, at_ms, reason FROM deployment_history"
                        + " WHERE deployment = ? AND alias = ? ORDER BY seq",
                r -> new DeploymentChange(r.getString(1), r.getString(2), r.getString(3), Sql.nullableInt(r, 4), r.getLong(5),
                        r.getString(6)), deployment, alias);
    }

    /** Appends an entry to an alias's history, numbered after its last (inside the change's transaction). */
    private static void record(Connection c, String deployment, String alias, String model, Integer version, String reason)
            throws SQLException {
        int seq = Sql.query(c, "SELECT COALESCE(MAX(seq), 0) FROM deployment_history WHERE deployment = ? AND alias = ?",
                r -> r.getInt(1), deployment, alias).get(0) + 1;
        Sql.update(c, "INSERT INTO deployment_history (deployment, alias, seq, model, version, at_ms, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", deployment, alias, seq, model, version, System.currentTimeMillis(),
                reason.length() > 200 ? reason.substring(0, 200) : reason);
    }

    @Override
    public java.util.Map<String, String> chatTemplates() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        Sql.query(db, "SELECT deployment, chat_template FROM deployment_settings WHERE chat_template IS NOT NULL",
                r -> out.put(r.getString(1), r.getString(2)));
        return out;
    }

    @Override
    public void setChatTemplate(String deployment, String template) {
        setSetting(db, "chat_template", deployment, template);
    }


    /**
     * Sets one column of a deployment's row in deployment_settings (chat_template, log_days), creating the row
     * if needed and leaving its other settings as they are. {@code column} is one of this code's own names.
     */
    static void setSetting(Database db, String column, String deployment, Object value) {
        db.writeTransaction(c -> {
            if (Sql.update(c, "UPDATE deployment_settings SET " + column + " = ?, updated_at = ? WHERE deployment = ?", value,
                    System.currentTimeMillis(), deployment) == 0) {
                Sql.update(c, "INSERT INTO deployment_settings (deployment, " + column + ", updated_at) VALUES (?, ?, ?)",
                        deployment, value, System.currentTimeMillis());
            }
            return null;
        });
    }
}
