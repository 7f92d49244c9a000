package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.ServeProcess;
import io.moxing.SharedHome;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.billing.UsageTotals;
import io.moxing.core.MoxingHome;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other half of the streaming charge rule (docs/DECISIONS.md): a stream cut by a crash of the server is
 * charged for nothing — its client never got the final usage chunk — while a stream read to its end is
 * charged for what its client was shown.
 */
class StreamCrashTest {
    @TempDir Path tmp;
    private ServeProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) server.close();
    }

    @Test
    void aStreamCutByAServerCrashIsChargedForNothing() throws Exception {
        var poet = SharedHome.poet();
        MoxingHome home = new MoxingHome(tmp.resolve("home"));
        Files.createDirectories(home.root());
        Files.createSymbolicLink(home.models(), SharedHome.home().models().toAbsolutePath());
        Database db = Database.open(null, home.database());
        new SqlDeployments(db).put(DeploymentRequests.target(poet.model() + ":" + poet.version(), "poet", "production", 100, 8,
                2, 1, new ModelRegistry(home.models())));
        BillingAdmin billing = SqlBilling.open(db);
        Actor test = new Actor("test", "junit");
        billing.createPlan(test, Plan.payPerUse("tokens", "USD", null, new BigDecimal("0.10"), new BigDecimal("0.30"), null));
        billing.createTenant(test, "writer", null, "tokens", System.currentTimeMillis() - 1000);
        String key = billing.issueKey(test, "writer", null, null, null, null, null, System.currentTimeMillis()).plaintext();
        server = ServeProcess.start(home.root(), tmp, "serve", Map.of(), "--port", "0", "--grpc-port", "-1", "--job-workers", "0");
        HttpClient http = HttpClient.newHttpClient();

        String whole = read(http.send(stream(key, 20), HttpResponse.BodyHandlers.ofInputStream()), Integer.MAX_VALUE);
        assertTrue(whole.contains("data: [DONE]"), whole);
        server.await(() -> billing.ledger().totals("writer", 0, Long.MAX_VALUE).requests() == 1, 30, "the whole stream was metered");
        UsageTotals before = billing.ledger().totals("writer", 0, Long.MAX_VALUE);
        assertEquals(20, before.tokensOut(), "the stream read to its end is charged what its client was shown");

        HttpResponse<java.io.InputStream> cut = http.send(stream(key, 2000), HttpResponse.BodyHandlers.ofInputStream());
        String seen = read(cut, 5); // some tokens are on the client's screen
        assertTrue(seen.contains("\"text\""), seen);
        server.process().destroyForcibly(); // SIGKILL mid-stream: no usage chunk, no record
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(before, billing.ledger().totals("writer", 0, Long.MAX_VALUE), "the crashed stream charged nothing");
    }

    private HttpRequest stream(String key, int maxTokens) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"poet\", \"prompt\": \"春\", \"max_tokens\": " + maxTokens
                        + ", \"temperature\": 0.8, \"seed\": 3, \"stream\": true, \"stream_options\": {\"include_usage\": true}}"))
                .build();
    }

    /** The stream's text up to {@code events} events (all of it when it ends first). */
    private static String read(HttpResponse<java.io.InputStream> response, int events) throws Exception {
        assertEquals(200, response.statusCode());
        StringBuilder text = new StringBuilder();
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        int seen = 0;
        for (String line; seen < events && (line = lines.readLine()) != null; ) {
            text.append(line).append('\n');
            if (line.startsWith("data: ")) seen++;
        }
        return text.toString();
    }
}
