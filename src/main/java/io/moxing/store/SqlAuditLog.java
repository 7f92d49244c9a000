package io.moxing.store;

import io.moxing.billing.Actor;
import io.moxing.billing.AuditEntry;
import io.moxing.billing.AuditLog;
import io.moxing.billing.AuditQuery;
import io.moxing.core.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log in the state database. Entries are only inserted; each one's hash covers its content
 * and the previous entry's hash, so an entry edited or removed afterwards breaks the chain
 * ({@link #firstBroken}).
 */
public final class SqlAuditLog implements AuditLog {
    private static final String GENESIS = "0".repeat(64);
    private static final String SELECT = "SELECT seq, at_ms, actor, source, action, target, detail, hash FROM audit_log";
    private final Database db;

    public SqlAuditLog(Database db) {
        this.db = db;
    }

    @Override
    public AuditEntry append(Actor actor, String action, String target, String detail) {
        for (int attempt = 0; ; attempt++) {
            try {
                return db.writeTransaction(c -> {
                    List<Object[]> last = Sql.query(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                            r -> new Object[] {r.getLong(1), r.getString(2)});
                    long seq = last.isEmpty() ? 1 : (Long) last.get(0)[0] + 1;
                    String prev = last.isEmpty() ? GENESIS : (String) last.get(0)[1];
                    long at = System.currentTimeMillis();
                    String hash = hash(prev, seq, at, actor.name(), actor.source(), action, target, detail);
                    Sql.update(c, "INSERT INTO audit_log (seq, at_ms, actor, source, action, target, detail, prev_hash, hash)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", seq, at, actor.name(), actor.source(), action, target, detail, prev, hash);
                    return new AuditEntry(seq, Instant.ofEpochMilli(at).toString(), actor.name(), actor.source(), action, target,
                            detail, hash);
                });
            } catch (IllegalStateException e) {
                // two writers took the same sequence number (PostgreSQL, several nodes): the loser tries again
                if (attempt >= 5) throw e;
            }
        }
    }

    @Override
    public List<AuditEntry> recent(int limit) {
        return Sql.query(db, SELECT + " ORDER BY seq DESC LIMIT ?", SqlAuditLog::entry, limit);
    }

    @Override
    public List<AuditEntry> find(AuditQuery q) {
        StringBuilder where = new StringBuilder(" WHERE at_ms >= ? AND at_ms < ?");
        List<Object> params = new ArrayList<>(List.of(q.fromMs(), q.toMs()));
        if (q.actor() != null) {
            // a prefix, so that "admin:" finds every admin token; LIKE's wildcards in the name are taken literally
            where.append(" AND actor LIKE ? ESCAPE '!'");
            params.add(q.actor().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (q.action() != null) {
            where.append(" AND action = ?");
            params.add(q.action());
        }
        params.add(q.limit());
        params.add(q.offset());
        return Sql.query(db, SELECT + where + " ORDER BY seq DESC LIMIT ? OFFSET ?", SqlAuditLog::entry, params.toArray());
    }

    private static AuditEntry entry(java.sql.ResultSet r) throws java.sql.SQLException {
        return new AuditEntry(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)).toString(), r.getString(3), r.getString(4),
                r.getString(5), r.getString(6), r.getString(7), r.getString(8));
    }

    @Override
    public long firstBroken() {
        List<Long> broken = db.transaction(c -> {
            String prev = GENESIS;
            long expectedSeq = 1;
            for (Object[] r : Sql.query(c, "SELECT seq, at_ms, actor, source, action, target, detail, prev_hash, hash FROM audit_log"
                    + " ORDER BY seq", r -> new Object[] {r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                    r.getString(6), r.getString(7), r.getString(8), r.getString(9)})) {
                long seq = (Long) r[0];
                String expected = hash(prev, seq, (Long) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6]);
                if (seq != expectedSeq || !prev.equals(r[7]) || !expected.equals(r[8])) return List.of(seq);
                prev = (String) r[8];
                expectedSeq++;
            }
            return List.of(-1L);
        });
        return broken.get(0);
    }

    private static String hash(String prev, long seq, long at, String... fields) {
        var d = Hashing.sha256();
        d.update((prev + "\n" + seq + "\n" + at).getBytes(StandardCharsets.UTF_8));
        for (String f : fields) d.update(("\n" + f).getBytes(StandardCharsets.UTF_8));
        return Hashing.hex(d);
    }
}
