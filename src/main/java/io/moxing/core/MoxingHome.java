package io.moxing.core;

import java.nio.file.Path;

/**
 * The data directory: data sets, runs, models and the database. {@code MOXING_HOME} or the
 * {@code moxing.home} system property choose it; the default is {@code ./moxing-data}.
 */
public record MoxingHome(Path root) {
    public MoxingHome {
        root = root.toAbsolutePath().normalize();
    }

    public static MoxingHome fromEnvironment() {
        String configured = System.getProperty("moxing.home", System.getenv("MOXING_HOME"));
        return new MoxingHome(Path.of(configured == null || configured.isBlank() ? "moxing-data" : configured));
    }

    public Path datasets() {
        return root.resolve("datasets");
    }

    public Path runs() {
        return root.resolve("runs");
    }

    public Path models() {
        return root.resolve("models");
    }

    /** The embedded state database (SQLite): deployments, and later keys, usage and invoices. */
    public Path database() {
        return root.resolve("moxing.db");
    }

    public Path reports() {
        return root.resolve("reports");
    }

    /** Owner-only secrets, never printed into a log: the admin token handed to the operator, the data key. */
    public Path secrets() {
        return root.resolve("secrets");
    }
}
