package io.moxing.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.jobs.Job;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobLogLine;
import io.moxing.jobs.JobState;
import io.moxing.jobs.JobStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Jobs in the state database. A claim is one UPDATE that only matches a row still queued, and every
 * later change by a worker matches its owner and the running state: each is a single statement, so
 * SQLite and PostgreSQL alike decide a race between two nodes by the row count, with no locks held
 * between statements.
 */
public final class SqlJobs implements JobStore {
    private static final String COLUMNS = "id, kind, params, state, attempts, progress, progress_message, resume_ref, result,"
            + " error, owner, cancel_requested, heartbeat_at, created_at, started_at, finished_at";
    /** Queued jobs looked at per claim: enough that losing a race for one still finds another. */
    private static final int CANDIDATES = 8;
    private final Database db;

    public SqlJobs(Database db) {
        this.db = db;
    }

    @Override
    public void insert(Job j) {
        Sql.update(db, "INSERT INTO jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", j.id(),
                j.kind().wireName(), Json.line(j.params()), j.state().wireName(), j.attempts(), j.progress(), j.progressMessage(),
                j.resumeRef(), j.result() == null ? null : Json.line(j.result()), j.error(), j.owner(), j.cancelRequested(),
                millis(j.heartbeatAt()), millis(j.createdAt()), millis(j.startedAt()), millis(j.finishedAt()));
    }

    @Override
    public Optional<Job> find(String id) {
        return Sql.query(db, "SELECT " + COLUMNS + " FROM jobs WHERE id = ?", SqlJobs::job, id).stream().findFirst();
    }

    @Override
    public List<Job> list(JobState state, int limit) {
        return state == null
                ? Sql.query(db, "SELECT " + COLUMNS + " FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?", SqlJobs::job, limit)
                : Sql.query(db, "SELECT " + COLUMNS + " FROM jobs WHERE state = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                        SqlJobs::job, state.wireName(), limit);
    }

    @Override
    public List<Job> running() {
        return Sql.query(db, "SELECT " + COLUMNS + " FROM jobs WHERE state = 'running' ORDER BY created_at", SqlJobs::job);
    }

    @Override
    public Optional<Job> claim(Set<JobKind> kinds, String owner, Instant now) {
        if (kinds.isEmpty()) return Optional.empty();
        List<Object> params = new ArrayList<>(kinds.stream().map(JobKind::wireName).sorted().toList());
        params.add(CANDIDATES);
        List<String> candidates = Sql.query(db, "SELECT id FROM jobs WHERE state = 'queued' AND kind IN ("
                + String.join(", ", Collections.nCopies(kinds.size(), "?")) + ") ORDER BY created_at, id LIMIT ?",
                r -> r.getString(1), params.toArray());
        for (String id : candidates) {
            // the row count decides: another worker that took this row first leaves nothing queued to match
            int taken = Sql.update(db, "UPDATE jobs SET state = 'running', owner = ?, attempts = attempts + 1, heartbeat_at = ?,"
                    + " started_at = COALESCE(started_at, ?) WHERE id = ? AND state = 'queued'", owner, millis(now), millis(now), id);
            if (taken == 1) return find(id);
        }
        return Optional.empty();
    }

    @Override
    public Optional<Job> heartbeat(String id, String owner, Double progress, String message, Instant now) {
        int held = Sql.update(db, "UPDATE jobs SET heartbeat_at = ?, progress = ?, progress_message = ? WHERE id = ? AND owner = ?"
                + " AND state = 'running'", millis(now), progress, message, id, owner);
        return held == 1 ? find(id) : Optional.empty();
    }

    @Override
    public boolean remember(String id, String owner, String resumeRef) {
        return Sql.update(db, "UPDATE jobs SET resume_ref = ? WHERE id = ? AND owner = ? AND state = 'running'",
                resumeRef, id, owner) == 1;
    }

    @Override
    public boolean finish(String id, String owner, JobState state, JsonNode result, String error, Instant now) {
        return Sql.update(db, "UPDATE jobs SET state = ?, result = ?, error = ?, finished_at = ?"
                + (state == JobState.SUCCEEDED ? ", progress = 1" : "") + " WHERE id = ? AND owner = ? AND state = 'running'",
                state.wireName(), result == null ? null : Json.line(result), error, millis(now), id, owner) == 1;
    }

    @Override
    public boolean requeue(String id, String owner, Instant heartbeatNotAfter) {
        return Sql.update(db, "UPDATE jobs SET state = 'queued', owner = NULL, heartbeat_at = NULL WHERE id = ? AND owner = ?"
                + " AND state = 'running' AND heartbeat_at <= ?", id, owner, millis(heartbeatNotAfter)) == 1;
    }

    @Override
    public Optional<Job> cancel(String id, Instant now) {
        if (Sql.update(db, "UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'queued'",
                millis(now), id) == 0) {
            Sql.update(db, "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND state IN ('running', 'queued')", id);
        }
        return find(id);
    }

    @Override
    public void log(String id, Instant at, String line, int keep) {
        db.transaction(c -> {
            // numbered in the statement itself: a read before the write would be a second, racing step
            Sql.update(c, "INSERT INTO job_logs (job_id, seq, at_ms, line) SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?"
                    + " FROM job_logs WHERE job_id = ?", id, millis(at), line, id);
            return Sql.update(c, "DELETE FROM job_logs WHERE job_id = ? AND seq <= (SELECT MAX(seq) FROM job_logs"
                    + " WHERE job_id = ?) - ?", id, id, keep);
        });
    }

    @Override
    public List<JobLogLine> logs(String id, int last) {
        List<JobLogLine> newest = Sql.query(db, "SELECT seq, at_ms, line FROM job_logs WHERE job_id = ? ORDER BY seq DESC LIMIT ?",
                r -> new JobLogLine(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3)), id, last);
        List<JobLogLine> out = new ArrayList<>(newest);
        Collections.reverse(out);
        return out;
    }

    private static Job job(ResultSet r) throws SQLException {
        return new Job(r.getString(1), JobKind.parse(r.getString(2)), tree(r.getString(3)), JobState.parse(r.getString(4)),
                r.getInt(5), Sql.nullableDouble(r, 6), r.getString(7), r.getString(8), tree(r.getString(9)), r.getString(10),
                r.getString(11), r.getInt(12) != 0, instant(Sql.nullableLong(r, 13)), instant(Sql.nullableLong(r, 14)),
                instant(Sql.nullableLong(r, 15)), instant(Sql.nullableLong(r, 16)));
    }

    private static JsonNode tree(String json) {
        if (json == null) return null;
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored job's JSON does not read: " + e.getOriginalMessage(), e);
        }
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }
}
