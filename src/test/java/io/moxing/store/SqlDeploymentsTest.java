package io.moxing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.TestDatabases;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentChange;
import io.moxing.deploy.DeploymentTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same storage tests on the embedded SQLite and on a real PostgreSQL server (scripts/test starts one and
 * passes its URL in MOXING_TEST_POSTGRES); the same Flyway migrations create both schemas.
 */
class SqlDeploymentsTest {
    @TempDir static Path tmp;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    private static Database fresh(String kind) {
        return TestDatabases.fresh(kind, tmp);
    }

    private static Database open(String kind, Path sqliteFile) {
        return TestDatabases.open(kind, sqliteFile);
    }

    private static DeploymentTarget target(String alias, int version, int weight) {
        return new DeploymentTarget("shop", alias, "cnn-28", version, weight, 16, 2, 1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void putListReplaceAndRemove(String kind) {
        SqlDeployments d = new SqlDeployments(fresh(kind));
        d.put(target("production", 1, 90));
        d.put(target("canary", 2, 10));
        assertEquals(List.of(target("canary", 2, 10), target("production", 1, 90)), d.list());
        d.put(target("production", 3, 80));
        assertEquals(3, d.list().stream().filter(t -> t.alias().equals("production")).findFirst().orElseThrow().version());
        assertEquals(2, d.list().size(), "replacing an alias keeps one row");
        assertEquals(1, d.remove("shop", "canary"));
        assertEquals(0, d.remove("shop", "canary"));
        assertEquals(1, d.remove("shop", null));
        assertTrue(d.list().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyChangeOfTheServedVersionIsInTheHistory(String kind) {
        SqlDeployments d = new SqlDeployments(fresh(kind));
        long before = System.currentTimeMillis();
        d.put(target("production", 1, 100));
        d.put(target("production", 1, 90)); // the weight alone: the same version serves
        d.put(target("canary", 2, 10));
        d.put(target("production", 2, 100), "promote retrained run r-7");
        d.put(target("production", 1, 100), io.moxing.deploy.Rollback.REASON);
        d.remove("shop", null);
        List<DeploymentChange> production = d.history("shop", "production");
        assertEquals(List.of("cnn-28:1 deploy", "cnn-28:2 promote retrained run r-7", "cnn-28:1 rollback", "null undeploy"),
                production.stream().map(c -> c.modelRef() + " " + c.reason()).toList());
        assertTrue(production.stream().allMatch(c -> c.atMs() >= before && c.deployment().equals("shop")));
        assertEquals(List.of("cnn-28:2 deploy", "null undeploy"),
                d.history("shop", "canary").stream().map(c -> c.modelRef() + " " + c.reason()).toList());
        assertTrue(d.history("shop", "nightly").isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFailedTransactionWritesNothing(String kind) {
        Path file = tmp.resolve("atomic-" + System.nanoTime() + ".db");
        Database db = open(kind, file);
        db.transaction(c -> c.createStatement().executeUpdate("DELETE FROM deployment_targets"));
        SqlDeployments d = new SqlDeployments(db);
        d.put(target("production", 1, 100));
        assertThrows(IllegalStateException.class, () -> db.transaction(c -> {
            c.createStatement().executeUpdate("DELETE FROM deployment_targets");
            // a second statement fails: the delete above must be rolled back with it
            c.createStatement().executeUpdate("INSERT INTO no_such_table VALUES (1)");
            return null;
        }));
        assertEquals(1, d.list().size());
        // opening again runs the migrations again: already applied, the row is still there
        assertEquals(1, new SqlDeployments(open(kind, file)).list().size());
    }

    @org.junit.jupiter.api.Test
    void badUrlsAreUserErrors() {
        assertThrows(UserException.class, () -> Database.open("mysql://somewhere/db", null));
        assertThrows(UserException.class, () -> Database.open("postgresql://nobody@127.0.0.1:1/none", null));
    }
}
