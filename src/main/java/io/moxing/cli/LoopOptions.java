package io.moxing.cli;

import io.moxing.core.MoxingHome;
import io.moxing.feedback.FeedbackExport;
import io.moxing.feedback.FeedbackSeal;
import io.moxing.registry.ModelRegistry;
import io.moxing.retrain.Retrainer;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import io.moxing.store.SqlFeedback;
import io.moxing.store.SqlRetraining;
import picocli.CommandLine.Option;

/** Options and wiring shared by the closed loop's commands (feedback, policy, retrain). */
final class LoopOptions {
    @Option(names = "--db", description = "postgresql://USER:PASSWORD@HOST:PORT/DB (default: SQLite under the data directory).")
    String db;
    @Option(names = "--json", description = "Print the result as one JSON object on the last line.") boolean json;

    Database database() {
        return Database.open(db, Main.home().database());
    }

    Output out() {
        return new Output(System.out, json);
    }

    /** The retraining wiring over one database: the same as a server's. */
    static Retrainer retrainer(MoxingHome home, Database database, java.io.PrintStream progress) {
        return new Retrainer(home, export(home, database), new SqlRetraining(database), new SqlDeployments(database), progress);
    }

    static FeedbackExport export(MoxingHome home, Database database) {
        return new FeedbackExport(new SqlFeedback(database), FeedbackSeal.of(home), new ModelRegistry(home.models()),
                home.datasets(), new SqlDeployments(database));
    }
}
