package io.moxing.cli;

import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.deploy.Rollback;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Deployments are rows in the state database; a running server picks changes up within a second. */
final class DeployCommand {
    private DeployCommand() {}

    static Deployments open(String db) {
        MoxingHome home = Main.home();
        return new SqlDeployments(Database.open(db, home.database()));
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Deploy a registered model version under a name and alias (a running server loads it, then serves it).")
    static final class Deploy implements Runnable {
        @Parameters(index = "0", description = "MODEL or MODEL:VERSION (newest version when omitted)") String model;
        @Option(names = "--name", description = "Public name (default: the model's).") String name;
        @Option(names = "--alias", defaultValue = "production", description = "production, canary, ...") String alias;
        @Option(names = "--weight", defaultValue = "100", description = "Share of the name's traffic, in percent.") int weight;
        @Option(names = "--max-batch", description = "Most requests per batch (default 64).") Integer maxBatch;
        @Option(names = "--max-delay-ms", description = "Longest wait for a batch to fill (default 2).") Integer maxDelayMs;
        @Option(names = "--workers", description = "Threads running batches (default: half the cores).") Integer workers;
        @Option(names = "--tenant", description = "Make the name private to this tenant (others get 404).") String tenant;
        @Option(names = "--log-inputs", description = "Keep inputs and outputs (sealed) for this long, e.g. 30d, so users'"
                + " feedback can become training data; 0 stops logging. Default: not logged.") String logInputs;
        @Option(names = "--chat-template", description = "A chat template file (JSON, see README) that turns chat messages"
                + " into this language model's prompt for /v1/chat/completions. Default: one message a line.")
        java.nio.file.Path chatTemplate;
        @Option(names = "--db") String db;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            String template = chatTemplate == null ? null : template(chatTemplate);
            Integer logDays = logInputs == null ? null : days(logInputs);
            Output out = new Output(System.out, json);
            DeploymentTarget t = DeploymentRequests.target(model, name, alias, weight, maxBatch, maxDelayMs, workers,
                    new ModelRegistry(Main.home().models()));
            Database database = Database.open(db, Main.home().database());
            if (tenant != null) {
                // owned before it is served, so it is never public for a moment
                io.moxing.store.SqlBilling.open(database).own(io.moxing.billing.Actor.cli(), t.deployment(), tenant);
            }
            // the log is on before the target serves, so no prediction of a logging deployment goes unlogged
            if (logDays != null) new io.moxing.store.SqlFeedback(database).setLogDays(t.deployment(), logDays);
            SqlDeployments deployments = new SqlDeployments(database);
            // the template is in place before the target serves, so its first chat is rendered with it
            if (template != null) deployments.setChatTemplate(t.deployment(), template);
            deployments.put(t);
            out.line("deployed %s as %s (alias %s, %d%% of traffic, batches of up to %d within %d ms, %d workers)%s",
                    t.modelRef(), t.deployment(), t.alias(), t.weight(), t.maxBatch(), t.maxDelayMs(), t.workers(),
                    logDays == null ? "" : logDays == 0 ? "; predictions not logged" : "; predictions logged for " + logDays + " days");
            out.result(t);
        }
    }

    /** A chat template file's text, checked as the server will read it. */
    static String template(java.nio.file.Path file) {
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new UserException("file_not_found", "--chat-template " + file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            io.moxing.generate.ChatTemplate.parse(text);
        } catch (UserException e) {
            throw new UserException(e.code(), "--chat-template " + file + ": " + e.getMessage());
        }
        return text;
    }

    /** {@code 30d}, {@code 30} or {@code 0}: whole days. */
    static int days(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("d")) t = t.substring(0, t.length() - 1);
        try {
            int d = Integer.parseInt(t);
            if (d < 0 || d > 3650) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new UserException("invalid_option", "--log-inputs '" + text + "' must be whole days from 0 to 3650, e.g. 30d");
        }
    }

    @Command(name = "undeploy", mixinStandardHelpOptions = true, description = "Stop serving a name (or one of its aliases).")
    static final class Undeploy implements Runnable {
        @Parameters(index = "0", description = "The deployed name.") String name;
        @Option(names = "--alias", description = "Only this alias.") String alias;
        @Option(names = "--db") String db;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            int removed = open(db).remove(name, alias);
            if (removed == 0) {
                throw new UserException("unknown_deployment", "nothing deployed as '" + name + "'"
                        + (alias == null ? "" : " with alias " + alias) + "; see moxing deployments");
            }
            Output out = new Output(System.out, json);
            out.line("undeployed %s (%d target%s)", name, removed, removed == 1 ? "" : "s");
            out.result(Map.of("name", name, "removed", removed));
        }
    }

    @Command(name = "deployments", mixinStandardHelpOptions = true, description = "List deployments.")
    static final class ListDeployments implements Runnable {
        @Option(names = "--db") String db;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            var all = open(db).list();
            if (all.isEmpty()) out.line("nothing deployed; deploy a model with: moxing deploy cnn-28");
            all.forEach(t -> out.line("%-20s %-12s %-20s %3d%%  batch %d / %d ms / %d workers", t.deployment(), t.alias(),
                    t.modelRef(), t.weight(), t.maxBatch(), t.maxDelayMs(), t.workers()));
            out.result(Map.of("deployments", all));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Put a deployment back on the version it served before (a running server swaps without dropping a"
                    + " request); repeated, it goes further back.")
    static final class RollbackDeployment implements Runnable {
        @Parameters(index = "0", description = "The deployed name.") String name;
        @Option(names = "--alias", defaultValue = "production", description = "The alias to roll back (default production).")
        String alias;
        @Option(names = "--db") String db;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Rollback.Result r = new Rollback(open(db), new ModelRegistry(Main.home().models())).run(name, alias);
            Output out = new Output(System.out, json);
            out.line("rolled back %s/%s from %s to %s", name, alias, r.from().modelRef(), r.to().modelRef());
            out.result(Map.of("name", name, "alias", alias, "from", r.from().modelRef(), "to", r.to().modelRef()));
        }
    }
}
