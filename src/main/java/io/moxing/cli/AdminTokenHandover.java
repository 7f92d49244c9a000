package io.moxing.cli;

import io.moxing.core.AtomicFiles;
import io.moxing.core.MoxingHome;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a new admin token reaches its operator. On a terminal it is printed, as a person reads it once;
 * anywhere else (a service manager, {@code nohup}, a CI job) stdout ends up in a log that outlives the
 * token's secrecy, so the token goes into {@code <home>/secrets/admin-token}, readable by its owner only,
 * and only that file's path is printed.
 */
final class AdminTokenHandover {
    private final Path file;
    private final boolean terminal;

    AdminTokenHandover(MoxingHome home, boolean terminal) {
        this.file = home.secrets().resolve("admin-token");
        this.terminal = terminal;
    }

    /** For this process: a terminal when the JVM has a console (stdin and stdout both attached to one). */
    static AdminTokenHandover forThisProcess(MoxingHome home) {
        return new AdminTokenHandover(home, System.console() != null);
    }

    /**
     * Prints the token (terminal) or writes it and prints where; {@code note} says what else to know.
     * Returns what a {@code --json} result may show: the token itself only on a terminal.
     */
    Map<String, String> handOver(String token, Output out, String note) {
        if (terminal) {
            // a file left by an earlier token holds a revoked one now; nothing should sign in with it
            AtomicFiles.deleteRecursively(file);
            out.line("admin token (shown once; %s):", note);
            out.line(token);
            return Map.of("admin_token", token);
        }
        AtomicFiles.writeSecret(file, token + "\n");
        out.line("admin token written to %s (readable only by you; %s)", file, note);
        return Map.of("admin_token_file", file.toString());
    }
}
