package io.moxing.cli;

import io.moxing.billing.Actor;
import io.moxing.core.MoxingHome;
import io.moxing.eval.EvaluateJobHandler;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobQueue;
import io.moxing.store.Database;
import io.moxing.store.SqlAuditLog;
import io.moxing.store.SqlJobs;
import io.moxing.train.TrainJobHandler;
import picocli.CommandLine.Option;

/** Options every jobs command shares, and the one place the job kinds this build runs are registered. */
final class JobOptions {
    @Option(names = "--db", description = "postgresql://USER:PASSWORD@HOST:PORT/DB (default: SQLite under the data directory).")
    String db;
    @Option(names = "--json", description = "Print the result as one JSON object on the last line.") boolean json;

    private Database database;

    /** The queue with a handler for every kind this build runs; the server and the CLI validate alike. */
    static JobQueue queue(MoxingHome home, Database database) {
        return new JobQueue(new SqlJobs(database))
                .register(JobKind.TRAIN, new TrainJobHandler(home))
                .register(JobKind.EVALUATE, new EvaluateJobHandler(home))
                .register(JobKind.FEEDBACK_EXPORT, new io.moxing.feedback.FeedbackExportJobHandler(LoopOptions.export(home, database)))
                .register(JobKind.RETRAIN, new io.moxing.retrain.RetrainJobHandler(LoopOptions.retrainer(home, database, System.err),
                        new io.moxing.store.SqlRetraining(database)));
    }

    JobQueue queue() {
        return queue(Main.home(), database());
    }

    void audit(String action, String target, String detail) {
        new SqlAuditLog(database()).append(Actor.cli(), action, target, detail);
    }

    Output out() {
        return new Output(System.out, json);
    }

    private Database database() {
        if (database == null) database = Database.open(db, Main.home().database());
        return database;
    }
}
