package io.moxing.store;

import io.moxing.core.UserException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * Moxing's state database: SQLite in write-ahead-log mode under the data directory by default, or
 * PostgreSQL given a {@code postgresql://} URL, behind one JDBC data layer with the same Flyway
 * migrations. On SQLite a unit of work takes the connection kept open from an earlier one where it can ({@link
 * IdleConnections}): opening one costs about a millisecond (sqlite-jdbc reads the schema each time), a transaction
 * on an open one 20-40 us. PostgreSQL's are opened per unit of work until a deployment of several nodes pools them.
 */
public final class Database {
    private final String url;
    private final String user;
    private final String password;
    /** SQLite's connection kept between units of work; null for PostgreSQL, whose are opened per unit. */
    private final IdleConnections idle;

    private Database(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.idle = url.startsWith("jdbc:sqlite:") ? new IdleConnections() : null;
    }

    /** SQLite at {@code file}, or the PostgreSQL server of a {@code postgresql://user:pass@host:port/db} URL. */
    public static Database open(String location, Path defaultFile) {
        Database db;
        if (location == null || location.isBlank()) {
            try {
                java.nio.file.Files.createDirectories(defaultFile.toAbsolutePath().getParent());
            } catch (java.io.IOException e) {
                throw new UserException("unwritable_directory", defaultFile.getParent() + ": cannot be created ("
                        + e.getMessage() + ")", e);
            }
            db = new Database("jdbc:sqlite:" + defaultFile.toAbsolutePath(), null, null);
        } else if (location.startsWith("postgresql://") || location.startsWith("postgres://")) {
            java.net.URI uri = java.net.URI.create(location.replaceFirst("^postgres(ql)?://", "postgresql://"));
            String[] credentials = uri.getUserInfo() == null ? new String[0] : uri.getUserInfo().split(":", 2);
            db = new Database("jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getPath(), credentials.length > 0 ? credentials[0] : null,
                    credentials.length > 1 ? credentials[1] : null);
        } else {
            throw new UserException("invalid_option", "--db '" + location
                    + "' must be a postgresql://USER:PASSWORD@HOST:PORT/DATABASE URL (or omitted for SQLite)");
        }
        db.migrate();
        return db;
    }

    /**
     * A file beside a SQLite database that processes sharing it touch when keys change, so that a server
     * sees a revocation made by the CLI at once instead of at its next poll; null for PostgreSQL (several
     * nodes: they poll).
     */
    public java.nio.file.Path changeStamp() {
        return isSqlite() ? java.nio.file.Path.of(url.substring("jdbc:sqlite:".length()) + ".accounts-changed") : null;
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        if (isSqlite()) {
            try (var s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA synchronous=NORMAL");
            }
        }
        return c;
    }

    private void migrate() {
        try {
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw new UserException("database_unavailable", "cannot open the database " + url.replaceAll("//[^@/]*@", "//")
                    + " (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    /** Runs {@code work} in one transaction: all of it is written or none. */
    public <T> T transaction(SqlWork<T> work) {
        return unit(work, c -> c.setAutoCommit(false), c -> {
            c.commit();
            c.setAutoCommit(true);
        }, c -> {
            c.rollback();
            c.setAutoCommit(true);
        });
    }

    /** One step of a transaction's bracket on a connection. */
    @FunctionalInterface
    private interface Step {
        void on(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} between {@code begin} and {@code commit} (or {@code rollback} when it fails) on a kept
     * connection, which serves the next unit only if its transaction ended cleanly.
     */
    private <T> T unit(SqlWork<T> work, Step begin, Step commit, Step rollback) {
        Connection c = kept();
        boolean ended = false;
        try {
            begin.on(c);
            try {
                T result = work.run(c);
                commit.on(c);
                ended = true;
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback.on(c);
                ended = true;
                throw e;
            }
        } catch (SQLException e) {
            ended = false; // a commit, rollback or reset that failed leaves the connection's state unknown: not kept
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        } finally {
            release(c, ended);
        }
    }

    /** A connection for a unit of work: one kept from an earlier unit, or a new one. */
    private Connection kept() {
        Connection c = idle == null ? null : idle.take();
        if (c != null) return c;
        try {
            return connect();
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        }
    }

    /** Keeps a connection whose transaction {@code ended} (committed or rolled back) for the next unit; closes any other. */
    private void release(Connection c, boolean ended) {
        if (ended && idle != null) idle.give(c);
        else IdleConnections.close(c);
    }

    /**
     * A transaction that reads, then writes what it read decides (a history's next entry, an audit chain's
     * next hash). On SQLite it takes the write lock when it begins, waiting for it as long as the busy timeout
     * allows: a transaction that began by reading and then writes must upgrade its lock, and SQLite refuses an
     * upgrade at once (SQLITE_BUSY, no waiting) when another connection wrote meanwhile.
     */
    public <T> T writeTransaction(SqlWork<T> work) {
        if (!isSqlite()) return transaction(work);
        return unit(work, c -> execute(c, "BEGIN IMMEDIATE"), c -> execute(c, "COMMIT"), c -> execute(c, "ROLLBACK"));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A unit of work on a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
