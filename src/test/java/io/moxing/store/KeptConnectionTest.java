package io.moxing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's connection is kept from one unit of work to the next: it sees what other connections (other processes)
 * wrote, carries nothing of a failed unit into the next, is not kept after a failure it cannot vouch for, and is
 * closed once unused.
 */
class KeptConnectionTest {
    @TempDir Path dir;

    private static int count(Database db, String key) {
        return db.transaction(c -> {
            try (var s = c.prepareStatement("SELECT count(*) FROM settings WHERE name = ?")) {
                s.setString(1, key);
                try (var r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    private static void put(Connection c, String key) throws SQLException {
        try (var s = c.prepareStatement("INSERT INTO settings (name, value) VALUES (?, 'v')")) {
            s.setString(1, key);
            s.executeUpdate();
        }
    }

    /** A unit of work that writes, then fails. */
    private static Void writeThenRefuse(Connection c, String key) throws SQLException {
        put(c, key);
        throw new IllegalArgumentException("refused after writing");
    }

    @Test
    void theNextUnitOfWorkTakesTheSameConnectionAndSeesOthersWrites() {
        Path file = dir.resolve("moxing.db");
        Database db = Database.open(null, file);
        Connection first = db.transaction(c -> c);
        assertSame(first, db.transaction(c -> c));
        assertSame(first, db.writeTransaction(c -> c));
        // another Database on the same file stands for another process (the CLI beside a server)
        Database other = Database.open(null, file);
        other.transaction(c -> {
            put(c, "from-the-cli");
            return null;
        });
        assertEquals(1, count(db, "from-the-cli"));
        assertSame(first, db.transaction(c -> c));
    }

    @Test
    void aFailedUnitIsRolledBackAndItsConnectionCarriesNothingIntoTheNext() {
        Database db = Database.open(null, dir.resolve("moxing.db"));
        Connection first = db.transaction(c -> c);
        assertThrows(IllegalArgumentException.class, () -> db.transaction(c -> writeThenRefuse(c, "half-done")));
        assertEquals(0, count(db, "half-done"));
        assertSame(first, db.transaction(c -> {
            assertEquals(false, c.getAutoCommit());
            return c;
        }));
        assertThrows(IllegalArgumentException.class, () -> db.writeTransaction(c -> writeThenRefuse(c, "half-done-too")));
        assertEquals(0, count(db, "half-done-too"));
        assertSame(first, db.transaction(c -> c));
    }

    @Test
    void aConnectionThatFailedInTheDatabaseIsNotKept() {
        Database db = Database.open(null, dir.resolve("moxing.db"));
        Connection first = db.transaction(c -> c);
        assertThrows(IllegalStateException.class, () -> db.transaction(c -> {
            try (var s = c.createStatement()) {
                s.execute("SELECT * FROM no_such_table");
            }
            return null;
        }));
        assertTrue(isClosed(first));
        assertNotSame(first, db.transaction(c -> c));
    }

    @Test
    void concurrentUnitsEachHaveTheirOwnAndOneIsKept() throws Exception {
        Database db = Database.open(null, dir.resolve("moxing.db"));
        CountDownLatch both = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Connection> a = pool.submit(() -> db.transaction(c -> hold(both, c)));
            Future<Connection> b = pool.submit(() -> db.transaction(c -> hold(both, c)));
            Connection ca = a.get(10, TimeUnit.SECONDS);
            Connection cb = b.get(10, TimeUnit.SECONDS);
            assertNotSame(ca, cb);
            assertEquals(1, (isClosed(ca) ? 0 : 1) + (isClosed(cb) ? 0 : 1), "one kept, the other closed");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnusedConnectionIsClosedBySweeping() throws SQLException {
        IdleConnections idle = new IdleConnections();
        Connection c = Database.open(null, dir.resolve("moxing.db")).connect();
        idle.give(c);
        assertEquals(1, idle.size());
        idle.closeUnusedSince(System.nanoTime() - IdleConnections.KEEP_NANOS);
        assertEquals(1, idle.size(), "used just now: kept");
        idle.closeUnusedSince(System.nanoTime() + 1);
        assertEquals(0, idle.size());
        assertTrue(isClosed(c));
    }

    private static Connection hold(CountDownLatch both, Connection c) throws SQLException {
        both.countDown();
        try {
            // both units hold a connection at once
            if (!both.await(10, TimeUnit.SECONDS)) throw new SQLException("the other unit never started");
        } catch (InterruptedException e) {
            throw new SQLException(e);
        }
        return c;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
