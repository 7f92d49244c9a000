package io.moxing.cli;

import io.moxing.core.MoxingHome;
import io.moxing.http.ModelServer;
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
    @Option(names = "--queue", defaultValue = "1024", description = "Requests that may wait per deployment.") int queue;
    @Option(names = "--drain-seconds", defaultValue = "30", description = "On SIGTERM, how long in-flight requests may take.") int drainSeconds;
    @Option(names = "--no-auth", description = "Serve without API keys, limits or metering (local trials and benchmarks only).")
    boolean noAuth;

    @Override
    public void run() {
        MoxingHome home = Main.home();
        ServeOptions options = new ServeOptions(host, port, maxBodyMb * 1024L * 1024L, timeoutMs, queue, 1000, grpcPort);
        Database database = Database.open(db, home.database());
        BillingAdmin billing = noAuth ? null : SqlBilling.open(database);
        if (billing != null) {
            billing.firstAdminToken(System.currentTimeMillis()).ifPresent(token -> {
                System.out.println("admin token (printed this once; Moxing keeps only its hash; 'moxing admin-token' makes a new one):");
                System.out.println(token);
            });
        } else {
            System.err.println("warning: --no-auth: every model is open to anyone who reaches this port, and nothing is metered");
        }
        ModelServer server = new ModelServer(home, new SqlDeployments(database), options, billing).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping: finishing requests in flight...");
            server.drainAndStop(Duration.ofSeconds(drainSeconds));
            stopped.countDown();
        }, "graceful-shutdown"));
        System.err.printf("moxing serving on http://%s:%d  (GET /openapi.json for the routes)%n", host, server.port());
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
