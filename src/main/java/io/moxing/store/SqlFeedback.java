package io.moxing.store;

import io.moxing.feedback.FeedbackRow;
import io.moxing.feedback.FeedbackStore;
import io.moxing.feedback.LoggedRequest;
import io.moxing.feedback.PredictedRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prediction log, logging settings and feedback in the state database. Log entries are written with
 * their requests' usage records ({@link SqlUsage}), so this class only reads and purges them.
 */
public final class SqlFeedback implements FeedbackStore {
    private static final String LOGGED = "SELECT request_id, tenant_id, deployment, model, version, rows_count, at_ms,"
            + " expires_at, record FROM prediction_log";
    private static final String FEEDBACK = "SELECT id, prediction_id, request_id, tenant_id, deployment, model, version,"
            + " has_label, at_ms, record FROM feedback";
    private final Database db;

    public SqlFeedback(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, Integer> logDays() {
        Map<String, Integer> days = new HashMap<>();
        Sql.query(db, "SELECT deployment, log_days FROM deployment_settings WHERE log_days > 0",
                r -> days.put(r.getString(1), r.getInt(2)));
        return days;
    }

    @Override
    public void setLogDays(String deployment, Integer days) {
        SqlDeployments.setSetting(db, "log_days", deployment, days == null || days <= 0 ? null : days);
    }

    @Override
    public Optional<PredictedRequest> predicted(String requestId) {
        Optional<LoggedRequest> logged = logged(requestId);
        if (logged.isPresent()) {
            LoggedRequest l = logged.get();
            return Optional.of(new PredictedRequest(l.requestId(), l.tenant(), l.deployment(), l.model(), l.version(), l.rows()));
        }
        // not logged (or expired): the usage record still says who asked, and the deployment which model it serves
        return Sql.query(db, "SELECT u.request_id, u.tenant_id, u.model, COALESCE(MIN(t.model), u.model), u.version, u.units"
                        + " FROM usage_records u LEFT JOIN deployment_targets t ON t.deployment = u.model AND t.version = u.version"
                        + " WHERE u.request_id = ? AND u.status = 200 GROUP BY u.request_id, u.tenant_id, u.model, u.version, u.units",
                r -> new PredictedRequest(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5),
                        r.getInt(6)), requestId).stream().findFirst();
    }

    @Override
    public Optional<LoggedRequest> logged(String requestId) {
        return Sql.query(db, LOGGED + " WHERE request_id = ?", SqlFeedback::logged, requestId).stream().findFirst();
    }

    @Override
    public List<LoggedRequest> logged(String deployment, long fromMs, int limit) {
        return Sql.query(db, LOGGED + " WHERE deployment = ? AND at_ms >= ? ORDER BY at_ms, request_id LIMIT ?",
                SqlFeedback::logged, deployment, fromMs, limit);
    }

    @Override
    public int purgeExpired(long nowMs) {
        return Sql.update(db, "DELETE FROM prediction_log WHERE expires_at < ?", nowMs);
    }

    @Override
    public void add(FeedbackRow f) {
        Sql.update(db, "INSERT INTO feedback (id, prediction_id, request_id, tenant_id, deployment, model, version, has_label,"
                        + " at_ms, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", f.id(), f.predictionId(), f.requestId(), f.tenant(),
                f.deployment(), f.model(), f.version(), f.hasLabel(), f.atMs(), f.sealed());
    }

    @Override
    public Optional<FeedbackRow> feedback(String id) {
        return Sql.query(db, FEEDBACK + " WHERE id = ?", SqlFeedback::feedback, id).stream().findFirst();
    }

    @Override
    public List<FeedbackRow> feedback(String deployment, String tenant, long fromMs, long toMs, int limit) {
        List<Object> params = new java.util.ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE at_ms >= ? AND at_ms < ?");
        params.add(fromMs);
        params.add(toMs);
        if (deployment != null) {
            where.append(" AND deployment = ?");
            params.add(deployment);
        }
        if (tenant != null) {
            where.append(" AND tenant_id = ?");
            params.add(tenant);
        }
        params.add(limit);
        return Sql.query(db, FEEDBACK + where + " ORDER BY at_ms, id LIMIT ?", SqlFeedback::feedback, params.toArray());
    }

    @Override
    public List<FeedbackRow> latest(String deployment, int limit) {
        return Sql.query(db, FEEDBACK + " WHERE deployment = ? ORDER BY at_ms DESC, id DESC LIMIT ?", SqlFeedback::feedback,
                deployment, limit);
    }

    @Override
    public int labelledSince(String deployment, long fromMs) {
        // rows, not feedback items: labelling one row a thousand times (or a row whose input was not kept) is not
        // a thousand corrections, and must not set off a retraining round
        return Sql.query(db, "SELECT COUNT(DISTINCT f.prediction_id) FROM feedback f JOIN prediction_log p"
                + " ON p.request_id = f.request_id WHERE f.deployment = ? AND f.has_label = 1 AND f.at_ms >= ?",
                r -> r.getInt(1), deployment, fromMs).get(0);
    }

    private static LoggedRequest logged(ResultSet r) throws SQLException {
        return new LoggedRequest(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5), r.getInt(6),
                r.getLong(7), r.getLong(8), r.getBytes(9));
    }

    private static FeedbackRow feedback(ResultSet r) throws SQLException {
        return new FeedbackRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                r.getInt(7), r.getInt(8) == 1, r.getLong(9), r.getBytes(10));
    }
}
