package io.moxing.cli;

import io.moxing.console.Console;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.http.ModelServer;
import io.moxing.jobs.JobQueue;
import io.moxing.jobs.JobRunner;
import io.moxing.http.ServeOptions;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.billing.BillingAdmin;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the deployed models over HTTP (v1 API, Open Inference Protocol v2, /metrics, /openapi.json)"
                + " and gRPC (Open Inference Protocol).")
final class ServeCommand implements Runnable {
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--port", defaultValue = "8080") int port;
    @Option(names = "--grpc-port", defaultValue = "8081",
            description = "Port of the Open Inference Protocol's gRPC endpoint (KServe's default, beside HTTP's 8080); -1 for none.")
    int grpcPort;
    @Option(names = "--db", description = "postgresql://USER:PASSWORD@HOST:PORT/DB (default: SQLite under the data directory).") String db;
    @Option(names = "--max-body-mb", defaultValue = "10", description = "Largest request body in MB.") int maxBodyMb;
    @Option(names = "--timeout-ms", defaultValue = "30000", description = "Per-request timeout.") int timeoutMs;
    @Option(names = "--queue", defaultValue = "4096", description = "Samples that may wait per tenant and deployment (503 above).")
    int queue;
    @Option(names = "--max-request-rows", defaultValue = "" + ServeOptions.DEFAULT_MAX_REQUEST_ROWS,
            description = "Most samples (rows, images) in one request (413 above, before any work).") int maxRequestRows;
    @Option(names = "--min-body-rate", defaultValue = "1024",
            description = "Bytes per second below which a request body is cut off with 408 (after its first second).")
    long minBodyRate;
    @Option(names = "--body-idle-ms", defaultValue = "10000", description = "A body silent this long is cut off with 408.")
    int bodyIdleMs;
    @Option(names = "--max-image-pixels", defaultValue = "16777216",
            description = "Largest image in pixels (width x height, read from its header before decoding); larger get 413.")
    long maxImagePixels;
    @Option(names = "--drain-seconds", defaultValue = "30", description = "On SIGTERM, how long in-flight requests may take.") int drainSeconds;
    @Option(names = "--job-workers", defaultValue = "1",
            description = "Background jobs (moxing jobs) run at once by this server; 0 runs none (another node may).")
    int jobWorkers;
    @Option(names = "--no-auth", description = "Serve without API keys, limits or metering (local trials and benchmarks only).")
    boolean noAuth;

    /** Queues a retraining round of {@code deployment} unless one is queued or running already. */
    private static boolean submitRound(JobQueue jobs, String deployment) {
        for (io.moxing.jobs.JobState state : java.util.List.of(io.moxing.jobs.JobState.QUEUED, io.moxing.jobs.JobState.RUNNING)) {
            boolean active = jobs.list(state, 1000).stream().anyMatch(j -> j.kind() == io.moxing.jobs.JobKind.RETRAIN
                    && deployment.equals(j.params().path("deployment").asText()));
            if (active) return false;
        }
        var job = jobs.submit(io.moxing.jobs.JobKind.RETRAIN,
                io.moxing.core.Json.MAPPER.createObjectNode().put("deployment", deployment));
        System.err.println("retraining " + deployment + ": enough new feedback; queued " + job.id());
        return true;
    }

    @Override
    public void run() {
        MoxingHome home = Main.home();
        ServeOptions options = new ServeOptions(host, port, maxBodyMb * 1024L * 1024L, timeoutMs, queue, 1000)
                .withMaxRequestRows(maxRequestRows).withBodyPacing(minBodyRate, bodyIdleMs).withMaxImagePixels(maxImagePixels).withGrpcPort(grpcPort);
        Database database = Database.open(db, home.database());
        BillingAdmin billing = noAuth ? null : SqlBilling.open(database);
        if (billing != null) {
            billing.firstAdminToken(System.currentTimeMillis()).ifPresent(token -> AdminTokenHandover.forThisProcess(home)
                    .handOver(token, new Output(System.out, false),
                            "Moxing keeps only its hash; 'moxing admin-token' makes a new one"));
        } else {
            System.err.println("warning: --no-auth: every model is open to anyone who reaches this port, and nothing is metered");
        }
        if (jobWorkers < 0) {
            throw new UserException("invalid_option", "--job-workers " + jobWorkers + " must be 0 (none) or more");
        }
        JobQueue jobs = JobOptions.queue(home, database);
        SqlDeployments deployments = new SqlDeployments(database);
        ModelServer server = new ModelServer(home, deployments, options, billing,
                billing == null ? null : new io.moxing.store.SqlFeedback(database), jobs);
        // the console signs people in against the accounts: an open server has none, so it has no console
        if (billing != null) server.extend(new Console(home, billing, deployments, server));
        server.start();
        // started after the server listens: a job resumed at start must not delay the port opening
        JobRunner runner = jobWorkers == 0 ? null : new JobRunner(jobs, jobWorkers, System.err).start();
        // retraining policies need feedback, which needs tenants (an open server has none), and rounds run as jobs
        io.moxing.retrain.RetrainingWatch retraining = billing == null || runner == null ? null
                : new io.moxing.retrain.RetrainingWatch(deployment -> submitRound(jobs, deployment),
                        new io.moxing.store.SqlRetraining(database), new io.moxing.store.SqlFeedback(database)).start(5_000);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping: finishing requests in flight...");
            if (retraining != null) retraining.close();
            if (runner != null) runner.close(Duration.ofSeconds(drainSeconds));
            server.drainAndStop(Duration.ofSeconds(drainSeconds));
            stopped.countDown();
        }, "graceful-shutdown"));
        System.err.printf("moxing serving on http://%s:%d  (GET /openapi.json for the routes)%n", host, server.port());
        System.err.println(billing == null ? "web console: off (--no-auth)"
                : "web console: http://" + host + ":" + server.port() + Console.PATH + "  (sign in with the admin token or an unrestricted API key)");
        System.err.println(runner == null ? "background jobs: none run here (--job-workers 0)"
                : "background jobs: " + jobWorkers + " at a time (moxing jobs list)");
        if (server.grpcPort() >= 0) {
            System.err.printf("gRPC (Open Inference Protocol, inference.GRPCInferenceService) on %s:%d%n", host, server.grpcPort());
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
