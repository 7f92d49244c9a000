package io.moxing;

import io.moxing.store.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The two engines every storage test runs on: a new SQLite file, and the PostgreSQL server that
 * scripts/test starts (its URL in MOXING_TEST_POSTGRES), emptied before each test.
 */
public final class TestDatabases {
    private static final List<String> TABLES = List.of("deployment_targets", "deployment_history", "deployment_owners", "tenants", "plans",
            "plan_assignments", "api_keys", "admin_tokens", "usage_records", "idempotent_answers", "invoices", "credit_notes", "audit_log",
            "settings", "deployment_settings", "prediction_log", "feedback", "retraining_policies", "retraining_decisions",
            "jobs", "job_logs");

    private TestDatabases() {}

    public static Stream<String> kinds() {
        return Stream.of("sqlite", "postgresql");
    }

    /** The database of the kind, opened (migrated) but not emptied. */
    public static Database open(String kind, Path sqliteFile) {
        if (kind.equals("sqlite")) {
            return Database.open(null, sqliteFile);
        }
        String url = System.getenv("MOXING_TEST_POSTGRES");
        Assumptions.assumeTrue(url != null, "MOXING_TEST_POSTGRES is not set: run the suite with scripts/test");
        return Database.open(url, null);
    }

    /** An empty database of the kind. */
    public static Database fresh(String kind, Path dir) {
        Database db = open(kind, dir.resolve("moxing-" + System.nanoTime() + ".db"));
        db.transaction(c -> {
            try (var s = c.createStatement()) {
                for (String table : TABLES) s.executeUpdate("DELETE FROM " + table);
            }
            return null;
        });
        return db;
    }
}
