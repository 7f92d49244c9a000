package io.moxing.bench;

import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.AtomicFiles;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether metering survives a crash: a real {@code moxing serve} process takes paid requests from many
 * clients, each request with its own idempotency key; the process is killed with SIGKILL (twice, at a
 * third and at two thirds of the run) and started again; clients retry every request that did not
 * answer 200 until it does. Then the ledger is checked against what the clients saw: every success has
 * exactly one charged record, and nothing a client never saw succeed is charged.
 */
public final class CrashSafetyBenchmark {
    private final MoxingHome home;
    private final PrintStream log;

    public CrashSafetyBenchmark(MoxingHome home, PrintStream log) {
        this.home = home;
        this.log = log;
    }

    public record Result(String model, String database, int clients, int requests, int kills, int succeeded, long attempts,
                         long retries, int replayed, long usageRecords, long lost, long doubleCharged, long chargedWithoutSuccess,
                         long uncharged, double seconds) {}

    public Result run(String modelRef, int requests, int clients, String dbUrl) throws IOException, InterruptedException {
        ModelRegistry registry = new ModelRegistry(home.models());
        var card = registry.card(modelRef);
        if (!"image".equals(card.dataKind())) {
            throw new UserException("invalid_option", card.ref() + " is not an image model; the crash bench sends images");
        }
        MoxingHome benchHome = ServerProcess.scratchHome(home, "moxing-crash");
        Path scratch = benchHome.root();
        Database db = Database.open(dbUrl, benchHome.database());
        BillingAdmin billing = SqlBilling.open(db);
        Actor bench = new Actor("bench", "local");
        String tenant = "crash-" + Long.toString(System.currentTimeMillis(), 36);
        String plan = "crash-ppu-" + Long.toString(System.nanoTime(), 36);
        billing.createPlan(bench, Plan.payPerUse(plan, "USD", new BigDecimal("0.50"), null, null, null));
        billing.createTenant(bench, tenant, null, plan, System.currentTimeMillis());
        String key = billing.issueKey(bench, tenant, "crash", null, null, null, null, System.currentTimeMillis()).plaintext();
        new SqlDeployments(db).put(DeploymentRequests.target(modelRef, tenant, "production", 100, 64, 2, null, registry));
        byte[] image = ImageRequests.png(home, card);

        ServerProcess server = new ServerProcess(scratch, List.of(), dbUrl == null ? List.of() : List.of("--db", dbUrl));
        server.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI url = server.url("/v1/models/" + tenant + "/predict");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicLong attempts = new AtomicLong();
        Set<String> succeededKeys = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                    String idempotencyKey = "req-" + i;
                    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + key).header("Idempotency-Key", idempotencyKey)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(ImageRequests.base64Json(image))).build();
                    while (true) {
                        attempts.incrementAndGet();
                        try {
                            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() == 200) {
                                if (r.headers().firstValue("Idempotent-Replayed").isPresent()) replayed.incrementAndGet();
                                succeededKeys.add(idempotencyKey);
                                succeeded.incrementAndGet();
                                break;
                            }
                        } catch (IOException e) {
                            // the server is down (killed) or restarting: retry below
                        }
                        Thread.sleep(20);
                    }
                }
                return null;
            }));
        }
        int kills = 0;
        for (double at : new double[] {1 / 3.0, 2 / 3.0}) {
            while (succeeded.get() < requests * at) Thread.sleep(5);
            server.kill();
            kills++;
            log.printf("killed the server (SIGKILL) after %,d successes; restarting%n", succeeded.get());
            server.start();
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
            }
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        server.stop();

        Map<String, Integer> charged = new HashMap<>();
        long[] uncharged = {0};
        db.transaction(c -> {
            try (var s = c.prepareStatement("SELECT idempotency_key, charged FROM usage_records WHERE tenant_id = ?")) {
                s.setString(1, tenant);
                try (var r = s.executeQuery()) {
                    while (r.next()) {
                        if (r.getInt(2) == 1) charged.merge(String.valueOf(r.getString(1)), 1, Integer::sum);
                        else uncharged[0]++;
                    }
                }
            }
            return null;
        });
        long records = charged.values().stream().mapToLong(Integer::longValue).sum();
        long lost = succeededKeys.stream().filter(k -> !charged.containsKey(k)).count();
        long doubled = charged.values().stream().filter(n -> n > 1).count();
        long withoutSuccess = charged.keySet().stream().filter(k -> !succeededKeys.contains(k)).count();
        AtomicFiles.deleteRecursively(scratch);
        return new Result(card.ref(), dbUrl == null ? "sqlite" : "postgresql", clients, requests, kills, succeeded.get(),
                attempts.get(), attempts.get() - requests, replayed.get(), records, lost, doubled, withoutSuccess, uncharged[0], seconds);
    }
}
