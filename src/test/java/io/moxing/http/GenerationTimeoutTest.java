package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A text whose request timed out stops being written: its slot is free for the next request at once, and it costs nothing. */
class GenerationTimeoutTest {
    @TempDir static Path tmp;

    @Test
    void aTimedOutTextStopsAndFreesItsSlot() throws Exception {
        Database db = TestDatabases.fresh("sqlite", tmp);
        var poet = SharedHome.poet();
        SqlDeployments deployments = new SqlDeployments(db);
        // one slot: a text still being written would hold up the next request
        deployments.put(DeploymentRequests.target(poet.model() + ":" + poet.version(), "poet", "production", 100, 1, 0, 1,
                new ModelRegistry(SharedHome.home().models())));
        BillingAdmin billing = SqlBilling.open(db);
        Actor test = new Actor("test", "junit");
        billing.createPlan(test, Plan.payPerUse("tokens", "USD", null, new BigDecimal("0.10"), new BigDecimal("0.30"), null));
        billing.createTenant(test, "w", null, "tokens", System.currentTimeMillis() - 1000);
        String key = billing.issueKey(test, "w", null, null, null, null, null, System.currentTimeMillis()).plaintext();
        try (ModelServer server = new ModelServer(SharedHome.home(), deployments,
                new ServeOptions("127.0.0.1", 0, 1 << 20, 200, 64, 100), billing).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            // the decoder's first steps are slow (the JIT): warm it, then time out a long text
            assertEquals(200, send(http, base, key, 5).statusCode());
            HttpResponse<String> slow = send(http, base, key, 2048);
            assertEquals(504, slow.statusCode(), slow.body());
            long start = System.nanoTime();
            HttpResponse<String> next = send(http, base, key, 5);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(200, next.statusCode(), next.body());
            assertTrue(seconds < 1.0, "the next request waited " + seconds + " s for the abandoned text");
            assertEquals(2, billing.ledger().totals("w", 0, Long.MAX_VALUE).requests(), "the timed-out request is not charged");
        }
    }

    private static HttpResponse<String> send(HttpClient http, String base, String key, int maxTokens) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/completions")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\": \"poet\", \"prompt\": \"春\", \"max_tokens\": " + maxTokens + ", \"temperature\": 0.8}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
