package io.moxing.store;

import io.moxing.billing.EconomicsInput;
import io.moxing.billing.IdempotentEntry;
import io.moxing.billing.UsageLedger;
import io.moxing.billing.UsageQuery;
import io.moxing.billing.UsageRecord;
import io.moxing.billing.UsageTotals;
import io.moxing.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Usage records in the state database. The meter writes through one long-lived connection and one
 * prepared insert (opening and preparing them per commit would cost more than the commit); queries open
 * their own connections.
 */
public final class SqlUsage implements UsageLedger, AutoCloseable {
    private static final String INSERT = "INSERT INTO usage_records (request_id, tenant_id, key_id, plan, model, version, units,"
            + " tokens_in, tokens_out, compute_us, batch_size, status, charged, at_ms, day, month, idempotency_key, request_hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_ANSWER = "INSERT INTO idempotent_answers (tenant_id, idempotency_key, content_type, body,"
            + " at_ms, headers) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_LOGGED = "INSERT INTO prediction_log (request_id, tenant_id, deployment, model, version,"
            + " rows_count, at_ms, expires_at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String CHARGED_SUMS = "COUNT(*), COALESCE(SUM(units), 0), COALESCE(SUM(tokens_in), 0),"
            + " COALESCE(SUM(tokens_out), 0), COALESCE(SUM(compute_us), 0)";
    private final Database db;
    private Connection writer;
    private PreparedStatement insert;
    private PreparedStatement insertAnswer;
    private PreparedStatement insertLogged;

    public SqlUsage(Database db) {
        this.db = db;
    }

    @Override
    public synchronized boolean[] append(List<UsageRecord> records) {
        try {
            if (writer == null) {
                writer = db.connect();
                writer.setAutoCommit(false);
                insert = writer.prepareStatement(INSERT);
                insertAnswer = writer.prepareStatement(INSERT_ANSWER);
                insertLogged = writer.prepareStatement(INSERT_LOGGED);
            }
            for (UsageRecord r : records) {
                Instant at = Instant.ofEpochMilli(r.atMs());
                String day = at.atZone(ZoneOffset.UTC).toLocalDate().toString();
                Sql.bind(insert, r.requestId(), r.tenantId(), r.keyId(), r.plan(), r.model(), r.version(), r.units(), r.tokensIn(),
                        r.tokensOut(), r.computeUs(), r.batchSize(), r.status(), r.charged(), r.atMs(), day, day.substring(0, 7),
                        r.charged() ? r.idempotencyKey() : null, r.requestHash());
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            boolean[] written = new boolean[records.size()];
            boolean answers = false;
            boolean logged = false;
            for (int i = 0; i < written.length; i++) {
                written[i] = counts[i] != 0;
                UsageRecord r = records.get(i);
                // only the answer of the record written now is kept: a retry that lost the race keeps the first
                if (written[i] && r.charged() && r.idempotencyKey() != null && r.answer() != null) {
                    Sql.bind(insertAnswer, r.tenantId(), r.idempotencyKey(), r.answer().contentType(), r.answer().body(), r.atMs(),
                            headers(r.answer().headers()));
                    insertAnswer.addBatch();
                    answers = true;
                }
                if (written[i] && r.logged() != null) {
                    Sql.bind(insertLogged, r.requestId(), r.tenantId(), r.model(), r.logged().registeredModel(), r.version(),
                            r.logged().rows(), r.atMs(), r.logged().expiresAtMs(), r.logged().sealed());
                    insertLogged.addBatch();
                    logged = true;
                }
            }
            if (answers) insertAnswer.executeBatch();
            if (logged) insertLogged.executeBatch();
            writer.commit();
            return written;
        } catch (SQLException e) {
            // the connection may be broken: the next batch opens a new one
            close();
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<IdempotentEntry> idempotent(String tenantId, String idempotencyKey) {
        return Sql.query(db, "SELECT u.request_id, u.request_hash, a.content_type, a.body, a.headers FROM usage_records u"
                        + " LEFT JOIN idempotent_answers a ON a.tenant_id = u.tenant_id AND a.idempotency_key = u.idempotency_key"
                        + " WHERE u.tenant_id = ? AND u.idempotency_key = ?",
                r -> new IdempotentEntry(r.getString(1), r.getString(2), r.getString(3) == null ? null
                        : new UsageRecord.StoredAnswer(r.getString(3), headers(r.getString(5)), r.getBytes(4))), tenantId,
                idempotencyKey)
                .stream().findFirst();
    }

    /** An answer's headers as the column keeps them: JSON text, or NULL for none. */
    private static String headers(Map<String, String> headers) {
        return headers.isEmpty() ? null : Json.line(headers);
    }

    @SuppressWarnings("unchecked") // written above from a Map<String, String>
    private static Map<String, String> headers(String json) {
        return json == null ? Map.of() : Json.parse(json, Map.class);
    }

    @Override
    public int purgeAnswers(long beforeMs) {
        return Sql.update(db, "DELETE FROM idempotent_answers WHERE at_ms < ?", beforeMs);
    }

    @Override
    public UsageTotals totals(String tenantId, long fromMs, long toMs) {
        return Sql.query(db, "SELECT " + CHARGED_SUMS + " FROM usage_records WHERE tenant_id = ? AND charged = 1"
                        + " AND at_ms >= ? AND at_ms < ?",
                r -> new UsageTotals(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)),
                tenantId, fromMs, toMs).get(0);
    }

    @Override
    public List<EconomicsInput.ModelUsage> byPlanAndModel(long fromMs, long toMs) {
        return Sql.query(db, "SELECT plan, model, " + CHARGED_SUMS + " FROM usage_records WHERE charged = 1 AND at_ms >= ?"
                        + " AND at_ms < ? GROUP BY plan, model ORDER BY model, plan",
                r -> new EconomicsInput.ModelUsage(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getLong(7)),
                fromMs, toMs);
    }

    @Override
    public List<EconomicsInput.BatchUsage> byBatchSize(long fromMs, long toMs) {
        return Sql.query(db, "SELECT batch_size, " + CHARGED_SUMS + " FROM usage_records WHERE charged = 1 AND at_ms >= ?"
                        + " AND at_ms < ? GROUP BY batch_size ORDER BY batch_size",
                r -> new EconomicsInput.BatchUsage(r.getInt(1), r.getLong(2), r.getLong(3), r.getLong(6)), fromMs, toMs);
    }

    @Override
    public List<UsageQuery.Row> query(UsageQuery q) {
        String group = switch (q.by()) {
            case "day" -> "day";
            case "month" -> "month";
            case "model" -> "model";
            case "key" -> "key_id";
            default -> "tenant_id";
        };
        StringBuilder where = new StringBuilder("at_ms >= ? AND at_ms < ?");
        List<Object> params = new ArrayList<>(List.of(q.fromMs(), q.toMs()));
        if (q.tenant() != null) { where.append(" AND tenant_id = ?"); params.add(q.tenant()); }
        if (q.keyId() != null) { where.append(" AND key_id = ?"); params.add(q.keyId()); }
        if (q.model() != null) { where.append(" AND model = ?"); params.add(q.model()); }
        return Sql.query(db, "SELECT " + group + ", COUNT(*), COALESCE(SUM(charged), 0),"
                        + " COALESCE(SUM(CASE WHEN charged = 1 THEN units ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN charged = 1 THEN tokens_in ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN charged = 1 THEN tokens_out ELSE 0 END), 0), COALESCE(SUM(compute_us), 0)"
                        + " FROM usage_records WHERE " + where + " GROUP BY " + group + " ORDER BY " + group,
                r -> new UsageQuery.Row(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6),
                        r.getLong(7) / 1e6), params.toArray());
    }

    @Override
    public synchronized void close() {
        try {
            if (writer != null) writer.close();
        } catch (SQLException ignored) {
            // closing a broken connection has nothing left to save
        }
        writer = null;
        insert = null;
        insertAnswer = null;
        insertLogged = null;
    }
}
