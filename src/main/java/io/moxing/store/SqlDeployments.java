package io.moxing.store;

import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Deployments in the state database. */
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
    public void put(DeploymentTarget t) {
        db.transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM deployment_targets WHERE deployment = ? AND alias = ?")) {
                d.setString(1, t.deployment());
                d.setString(2, t.alias());
                d.executeUpdate();
            }
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
            return null;
        });
    }

    @Override
    public int remove(String deployment, String alias) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(alias == null
                    ? "DELETE FROM deployment_targets WHERE deployment = ?"
                    : "DELETE FROM deployment_targets WHERE deployment = ? AND alias = ?")) {
                s.setString(1, deployment);
                if (alias != null) s.setString(2, alias);
                return s.executeUpdate();
            }
        });
    }
}
