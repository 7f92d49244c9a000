package io.moxing.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A SQLite database's connection kept open between units of work. Opening one costs 0.8-1.0 ms of CPU (sqlite-jdbc
 * reads the schema each time) where a transaction on an open one costs 20-40 µs, and a server's pollers open one every
 * second each (DECISIONS.md, 2026-12-01).
 *
 * <p>At most {@value #MAX_IDLE} is kept, for at most {@link #KEEP_NANOS} after its last use: one sweeper thread for the
 * process closes older ones, so that the short-lived databases of CLI commands and tests leave nothing open for long.
 * A kept connection holds no transaction and no statement (every statement of the data layer is closed with its unit
 * of work), so it holds no lock and does not hold back SQLite's checkpoints. PostgreSQL's connections are not kept
 * here: several nodes sharing one server need a pool bounded across them, which comes with that deployment.
 */
final class IdleConnections {
    static final int MAX_IDLE = 1;
    static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The pools holding idle connections: strongly, so that none is lost to the collector with connections open. */
    private static final Set<IdleConnections> HOLDING = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-connections");
        t.setDaemon(true);
        return t;
    });

    static {
        SWEEPER.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (IdleConnections pool : HOLDING) pool.closeUnusedSince(now - KEEP_NANOS);
        }, 2, 2, TimeUnit.SECONDS);
    }

    private record Kept(Connection connection, long since) {}

    /** The most recently used first. */
    private final Deque<Kept> idle = new ArrayDeque<>();

    /** An open connection kept from an earlier unit of work, or null. */
    Connection take() {
        while (true) {
            Kept kept;
            synchronized (this) {
                kept = idle.pollFirst();
                if (idle.isEmpty()) HOLDING.remove(this);
            }
            if (kept == null) return null;
            if (isOpen(kept.connection)) return kept.connection;
        }
    }

    /** Keeps {@code connection}, whose unit of work has ended, or closes it when enough are kept. */
    void give(Connection connection) {
        synchronized (this) {
            if (idle.size() < MAX_IDLE) {
                idle.addFirst(new Kept(connection, System.nanoTime()));
                HOLDING.add(this);
                return;
            }
        }
        close(connection);
    }

    /** Closes the connections last used before {@code nanos} ({@link System#nanoTime()}). */
    void closeUnusedSince(long nanos) {
        Deque<Kept> stale = new ArrayDeque<>();
        synchronized (this) {
            while (!idle.isEmpty() && idle.peekLast().since - nanos < 0) stale.add(idle.pollLast());
            if (idle.isEmpty()) HOLDING.remove(this);
        }
        for (Kept kept : stale) close(kept.connection);
    }

    synchronized int size() {
        return idle.size();
    }

    private static boolean isOpen(Connection connection) {
        try {
            return !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing more to release
        }
    }
}
