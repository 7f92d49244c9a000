package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.SharedHome;
import io.moxing.cli.Main;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moxing rollback} against a real server on loopback that reads its deployments from the state
 * database, as an operator runs it: the CLI writes the change, the server's poller swaps the model.
 * Versions 1 and 2 of "roll-cnn" are the shared cnn-28's weights registered twice (a second training
 * would only cost time: the answer names the version that served it).
 */
class RollbackServerTest {
    private static final int CLIENTS = 64;
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MoxingHome home;
    private SqlDeployments deployments;
    private ModelServer server;
    private String base;

    /** One answer as a client saw it: when it was sent, its status and the version that answered. */
    private record Seen(long sentNanos, int status, int version, String body) {}

    @BeforeEach
    void start() throws Exception {
        home = new MoxingHome(tmp.resolve("home"));
        var cnn = SharedHome.cnn();
        Path trained = SharedHome.home().models().resolve(cnn.model()).resolve(Integer.toString(cnn.version()));
        ModelRegistry registry = new ModelRegistry(home.models());
        for (int i = 0; i < 2; i++) registry.register("roll-cnn", version -> staging -> copyAs(trained, staging, version));
        deployments = new SqlDeployments(Database.open(null, home.database()));
        deployments.put(DeploymentRequests.target("roll-cnn:1", "roll", "production", 100, 16, 2, 1, registry));
        deployments.put(DeploymentRequests.target("roll-cnn:2", "roll", "production", 100, 16, 2, 1, registry));
        server = new ModelServer(home, deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 50)).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void rollbackUnder64ClientLoadDropsNoRequest() throws Exception {
        assertEquals(2, predict().version());
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch warm = new CountDownLatch(CLIENTS);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                boolean counted = false;
                while (running.get()) {
                    seen.add(predict());
                    if (!counted) warm.countDown();
                    counted = true;
                }
            }, "client-" + i);
            t.start();
            clients.add(t);
        }
        assertTrue(warm.await(60, TimeUnit.SECONDS), "every client has been answered once");
        int exit = cli("rollback", "roll", "--json");
        assertEquals(0, exit);
        // the server's poller (every 50 ms) swaps the model; once an answer of version 1 has come, only version 1
        long swapped = waitForVersion(1);
        Thread.sleep(500);
        running.set(false);
        for (Thread t : clients) t.join(60_000);

        List<Seen> failed = seen.stream().filter(s -> s.status() != 200).toList();
        assertTrue(failed.isEmpty(), failed.size() + " of " + seen.size() + " requests failed, e.g. "
                + failed.stream().limit(3).toList());
        List<Seen> lateVersion2 = seen.stream().filter(s -> s.sentNanos() > swapped && s.version() != 1).toList();
        assertTrue(lateVersion2.isEmpty(), "sent after the swap but answered by another version: " + lateVersion2.size());
        assertTrue(seen.stream().anyMatch(s -> s.version() == 2), "version 2 served before the rollback");
        assertTrue(seen.stream().filter(s -> s.sentNanos() > swapped).count() > CLIENTS, "the load went on after the swap");

        JsonNode history = json(get("/admin/deployments/roll/history"));
        List<String> changes = new ArrayList<>();
        history.get("history").forEach(c -> changes.add(c.get("model_ref").asText() + " " + c.get("reason").asText()));
        assertEquals(List.of("roll-cnn:1 deploy", "roll-cnn:2 deploy", "roll-cnn:1 rollback"), changes);
    }

    @Test
    void withNothingBeforeTheRollbackIsRefusedClearly() throws Exception {
        HttpResponse<String> first = post("/admin/deployments/roll/rollback");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("roll-cnn:1", json(first).get("to").asText());
        assertEquals(1, predict().version(), "the admin route swaps before it answers");

        HttpResponse<String> again = post("/admin/deployments/roll/rollback");
        assertEquals(409, again.statusCode(), again.body());
        assertEquals("nothing_to_roll_back", json(again).get("error").get("code").asText());
        assertTrue(json(again).get("error").get("message").asText().contains("moxing deploy MODEL:VERSION --name roll"),
                again.body());
        assertEquals(2, cli("rollback", "roll"), "the CLI refuses as a user error");
        assertEquals(404, post("/admin/deployments/roll/rollback?alias=canary").statusCode());
        assertEquals(1, predict().version());
        assertTrue(!get("/metrics").body().contains("moxing_input_psi{"),
                "this home holds no training data: no drift index rather than a made-up one");
    }

    private long waitForVersion(int version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Seen s = predict();
            // the time its answer came, not the time it was sent: under load a request can wait in the client past a
            // later one's admission, and only a request sent after this answer arrived is surely admitted after the swap
            if (s.version() == version) return System.nanoTime();
            Thread.sleep(5);
        }
        throw new AssertionError("version " + version + " never answered");
    }

    private Seen predict() {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/roll/predict"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [" + "0.5,".repeat(783) + "0.5]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            int version = r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()).get("version").asInt() : -1;
            return new Seen(sent, r.statusCode(), version, r.statusCode() == 200 ? "" : r.body());
        } catch (IOException e) {
            return new Seen(sent, -1, -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Seen(sent, -1, -1, e.toString());
        }
    }

    private int cli(String... args) {
        System.setProperty("moxing.home", home.root().toString());
        try {
            return Main.run(args);
        } finally {
            System.clearProperty("moxing.home");
        }
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** The trained version's files under another name and number (its card rewritten to say so). */
    private static ModelVersion copyAs(Path trained, Path staging, int version) {
        try (Stream<Path> files = Files.list(trained)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("model.json")) Files.copy(f, staging.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModelVersion c = Json.read(trained.resolve("model.json"), ModelVersion.class);
        return new ModelVersion(c.formatVersion(), "roll-cnn", version, c.createdAt(), c.task(), c.inputShape(), c.classes(),
                c.head(), c.normalization(), c.dataKind(), c.parameters(), c.parametersSha256(), c.runId(), c.metrics());
    }
}
