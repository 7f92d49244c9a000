package io.moxing.store;

import java.sql.Connection;
import java.sql.SQLException;
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
 * <p>One connection is kept, for at most {@link #KEEP_NANOS} after its last use: one sweeper thread for the process
 * closes it after that, so that the short-lived databases of CLI commands and tests leave nothing open for long; a unit
 * of work that finds it taken opens its own, closed when it ends. A kept connection holds no transaction and no
 * statement (every statement of the data layer is closed with its unit of work), so it holds no lock and does not hold
 * back SQLite's checkpoints. PostgreSQL's connections are not kept here: several nodes sharing one server need a pool
 * bounded across them, which comes with that deployment.
 */
final class IdleConnections {
    static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The databases holding an idle connection: strongly, so that none is lost to the collector with it open. */
    private static final Set<IdleConnections> HOLDING = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-connections");
        t.setDaemon(true);
        return t;
    });

    static {
        SWEEPER.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (IdleConnections idle : HOLDING) idle.closeUnusedSince(now - KEEP_NANOS);
        }, 2, 2, TimeUnit.SECONDS);
    }

    private record Kept(Connection connection, long since) {}

    /** Null when no connection is kept. */
    private Kept kept;

    /** The open connection kept from an earlier unit of work, or null. */
    Connection take() {
        Kept taken;
        synchronized (this) {
            taken = kept;
            kept = null;
            HOLDING.remove(this);
        }
        return taken != null && isOpen(taken.connection) ? taken.connection : null;
    }

    /** Keeps {@code connection}, whose unit of work has ended, or closes it when one is kept already. */
    void give(Connection connection) {
        synchronized (this) {
            if (kept == null) {
                kept = new Kept(connection, System.nanoTime());
                HOLDING.add(this);
                return;
            }
        }
        close(connection);
    }

    /** Closes the kept connection if it was last used before {@code nanos} ({@link System#nanoTime()}). */
    void closeUnusedSince(long nanos) {
        Kept stale = null;
        synchronized (this) {
            if (kept != null && kept.since - nanos < 0) {
                stale = kept;
                kept = null;
                HOLDING.remove(this);
            }
        }
        if (stale != null) close(stale.connection);
    }

    synchronized int size() {
        return kept == null ? 0 : 1;
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
