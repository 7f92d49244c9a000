package io.moxing.store;

import io.moxing.core.Json;
import io.moxing.retrain.GateMetric;
import io.moxing.retrain.RetrainingDecision;
import io.moxing.retrain.RetrainingPolicy;
import io.moxing.retrain.RetrainingStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Retraining policies and decisions in the state database. */
public final class SqlRetraining implements RetrainingStore {
    private static final String POLICY = "SELECT deployment, after_feedback, metric, min_gain, max_class_drop, canary, epochs"
            + " FROM retraining_policies";
    private static final String DECISION = "SELECT id, deployment, at_ms, production, candidate, dataset, promoted, reason,"
            + " evidence, feedback_to FROM retraining_decisions";
    private final Database db;

    public SqlRetraining(Database db) {
        this.db = db;
    }

    @Override
    public Optional<RetrainingPolicy> policy(String deployment) {
        return Sql.query(db, POLICY + " WHERE deployment = ?", SqlRetraining::policy, deployment).stream().findFirst();
    }

    @Override
    public List<RetrainingPolicy> policies() {
        return Sql.query(db, POLICY + " ORDER BY deployment", SqlRetraining::policy);
    }

    @Override
    public void setPolicy(RetrainingPolicy p) {
        db.transaction(c -> {
            Sql.update(c, "DELETE FROM retraining_policies WHERE deployment = ?", p.deployment());
            Sql.update(c, "INSERT INTO retraining_policies (deployment, after_feedback, metric, min_gain, max_class_drop, canary,"
                            + " epochs, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", p.deployment(), p.afterFeedback(),
                    p.metric().wireName(), p.minGain(), p.maxClassDrop(), p.canary(), p.epochs(), System.currentTimeMillis());
            return null;
        });
    }

    @Override
    public void record(RetrainingDecision d) {
        Sql.update(db, "INSERT INTO retraining_decisions (id, deployment, at_ms, production, candidate, dataset, promoted, reason,"
                        + " evidence, feedback_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", d.id(), d.deployment(), d.atMs(),
                d.production(), d.candidate(), d.dataset(), d.promoted(), d.reason(), Json.line(d.evidence()), d.feedbackToMs());
    }

    @Override
    public Optional<RetrainingDecision> decision(String id) {
        return Sql.query(db, DECISION + " WHERE id = ?", SqlRetraining::decision, id).stream().findFirst();
    }

    @Override
    public List<RetrainingDecision> decisions(String deployment, int limit) {
        return Sql.query(db, DECISION + " WHERE deployment = ? ORDER BY at_ms DESC, id LIMIT ?", SqlRetraining::decision,
                deployment, limit);
    }

    private static RetrainingDecision decision(ResultSet r) throws SQLException {
        return new RetrainingDecision(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getString(5),
                r.getString(6), r.getInt(7) == 1, r.getString(8), evidence(r.getString(9)), r.getLong(10));
    }

    @Override
    public long feedbackWatermark(String deployment) {
        return Sql.query(db, "SELECT COALESCE(MAX(feedback_to), 0) FROM retraining_decisions WHERE deployment = ?",
                r -> r.getLong(1), deployment).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> evidence(String json) {
        return Json.parse(json, Map.class);
    }

    private static RetrainingPolicy policy(ResultSet r) throws SQLException {
        return new RetrainingPolicy(r.getString(1), r.getInt(2), GateMetric.parse(r.getString(3)), r.getDouble(4),
                r.getDouble(5), Sql.nullableInt(r, 6), r.getInt(7));
    }
}
