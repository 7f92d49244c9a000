package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.BillingPeriod;
import io.moxing.billing.Plan;
import io.moxing.billing.UsageRecord;
import io.moxing.core.Json;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The business layer over real HTTP on loopback, with a real cnn-28 and the state in a real SQLite file
 * or a real PostgreSQL server: authentication, tenant isolation on every route of the OpenAPI document,
 * rate limits and quotas under concurrent clients, metering with idempotency keys, and no secret in any
 * log line or response after the one that issued it.
 */
class BillingServerTest {
    @TempDir static Path tmp;
    private static final Actor ADMIN = new Actor("test", "junit");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ModelServer server;
    private BillingAdmin billing;
    private SqlDeployments deployments;
    private String base;
    private String adminToken;
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
    private PrintStream originalErr;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    /** A server on a fresh database with cnn-28 deployed publicly and as "private-b" for tenant b. */
    private void start(String kind) {
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(serverLog, originalErr), true, StandardCharsets.UTF_8));
        Database db = TestDatabases.fresh(kind, tmp);
        var cnn = SharedHome.cnn();
        String ref = cnn.model() + ":" + cnn.version();
        ModelRegistry registry = new ModelRegistry(SharedHome.home().models());
        deployments = new SqlDeployments(db);
        deployments.put(DeploymentRequests.target(ref, "cnn-28", "production", 100, 16, 2, 1, registry));
        deployments.put(DeploymentRequests.target(ref, "private-b", "production", 100, 16, 2, 1, registry));
        billing = SqlBilling.open(db);
        billing.createPlan(ADMIN, Plan.free("free", 1_000_000, 10_000, 10_000));
        billing.createPlan(ADMIN, Plan.payPerUse("ppu", "USD", new java.math.BigDecimal("0.50"), null, null, null));
        adminToken = billing.firstAdminToken(System.currentTimeMillis()).orElseThrow();
        server = new ModelServer(SharedHome.home(), deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 100).withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS), billing).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (originalErr != null) System.setErr(originalErr);
    }

    private String tenant(String id, String plan) {
        billing.createTenant(ADMIN, id, null, plan, System.currentTimeMillis() - 1000);
        return key(id, null, null);
    }

    private String key(String tenant, Set<String> models, Double rate) {
        String key = billing.issueKey(ADMIN, tenant, null, models, rate, rate == null ? null : 10, null, System.currentTimeMillis()).plaintext();
        server.reconcile();
        return key;
    }

    private static String image() throws Exception {
        var img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return "{\"image\": \"" + Base64.getEncoder().encodeToString(out.toByteArray()) + "\"}";
    }

    private HttpResponse<String> send(String method, String path, String auth, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (auth != null) b.header("Authorization", "Bearer " + auth);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> predict(String key, String model, String... headers) throws Exception {
        return send("POST", "/v1/models/" + model + "/predict", key, image(), headers);
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, Json.MAPPER.readTree(r.body()).at("/error/code").asText(), r.body());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyInferenceCallIsAuthenticatedAndAdminNeedsTheAdminToken(String kind) throws Exception {
        start(kind);
        String a = tenant("a", "free");
        assertEquals(200, predict(a, "cnn-28").statusCode());
        assertError(predict(null, "cnn-28"), 401, "missing_api_key");
        assertError(predict("sk-something-else", "cnn-28"), 401, "invalid_api_key");
        assertError(predict(a.substring(0, a.length() - 2) + "xx", "cnn-28"), 401, "invalid_api_key");
        assertError(send("POST", "/v2/models/cnn-28/infer", null, "{}"), 401, "missing_api_key");
        assertError(send("GET", "/v2/models/cnn-28", null, null), 401, "missing_api_key");
        assertEquals(200, send("GET", "/v2/health/live", null, null).statusCode(), "health checks need no key");
        assertEquals(200, send("GET", "/openapi.json", null, null).statusCode());

        String shortLived = billing.issueKey(ADMIN, "a", "short", null, null, null, System.currentTimeMillis() + 1500,
                System.currentTimeMillis()).plaintext();
        server.reconcile();
        assertEquals(200, predict(shortLived, "cnn-28").statusCode());
        Thread.sleep(1600);
        assertError(predict(shortLived, "cnn-28"), 401, "invalid_api_key");
        assertTrue(predict(shortLived, "cnn-28").body().contains("expired"));

        String onlyOther = key("a", Set.of("some-other-model"), null);
        assertError(predict(onlyOther, "cnn-28"), 403, "model_not_allowed");

        assertError(send("GET", "/admin/tenants", null, null), 401, "missing_admin_token");
        assertError(send("GET", "/admin/tenants", a, null), 403, "not_admin");
        assertError(send("GET", "/metrics", a, null), 403, "not_admin");
        assertEquals(200, send("GET", "/metrics", adminToken, null).statusCode());

        // the admin API: a tenant and a key made over HTTP work at once; revoked, the key stops working at once
        assertEquals(201, send("POST", "/admin/tenants", adminToken, "{\"id\": \"c\", \"plan\": \"ppu\"}").statusCode());
        HttpResponse<String> made = send("POST", "/admin/tenants/c/keys", adminToken, "{\"models\": [\"cnn-28\"]}");
        assertEquals(201, made.statusCode(), made.body());
        String c = Json.MAPPER.readTree(made.body()).get("key").asText();
        assertEquals(200, predict(c, "cnn-28").statusCode());
        String keyId = Json.MAPPER.readTree(made.body()).at("/details/id").asText();
        assertEquals(200, send("DELETE", "/admin/keys/mx_live_" + keyId, adminToken, null).statusCode());
        assertError(predict(c, "cnn-28"), 401, "invalid_api_key");
        assertError(send("POST", "/admin/tenants", adminToken, "{\"id\": \"c\", \"plan\": \"ppu\"}"), 409, "tenant_exists");
        assertError(send("POST", "/admin/tenants", adminToken, "{\"id\": \"Bad Name\", \"plan\": \"ppu\"}"), 400, "invalid_field");
        assertError(send("POST", "/admin/plans", adminToken, "{\"name\": \"x\", \"kind\": \"subscription\"}"), 400, "missing_field");
        assertError(send("PUT", "/admin/tenants/nobody/plan", adminToken, "{\"plan\": \"ppu\"}"), 404, "unknown_tenant");

        JsonNode audit = Json.MAPPER.readTree(send("GET", "/admin/audit", adminToken, null).body());
        assertEquals(-1, audit.get("first_broken").asLong());
        List<String> actions = new ArrayList<>();
        audit.get("entries").forEach(e -> actions.add(e.get("action").asText() + " " + e.get("source").asText()));
        assertTrue(actions.contains("key.revoke 127.0.0.1"), actions.toString());
        assertTrue(actions.contains("tenant.create 127.0.0.1"), actions.toString());
        assertTrue(actions.size() > 1, actions.toString());
        // ?limit= is a whole number from 1 to 1000, refused in this API's error shape otherwise; -1 would read the whole log
        assertEquals(1, Json.MAPPER.readTree(send("GET", "/admin/audit?limit=1", adminToken, null).body()).get("entries").size());
        assertEquals(actions.size(), Json.MAPPER.readTree(send("GET", "/admin/audit?limit=1000", adminToken, null).body())
                .get("entries").size());
        for (String limit : List.of("abc", "-1", "0", "1001", "99999999999", "", "+5", "%205%20", "%D9%A5")) {
            HttpResponse<String> refused = send("GET", "/admin/audit?limit=" + limit, adminToken, null);
            assertError(refused, 400, "invalid_limit");
            JsonNode error = Json.MAPPER.readTree(refused.body()).get("error");
            assertEquals("limit", error.get("param").asText(), refused.body());
            assertTrue(error.get("message").asText().contains("\"limit\" must be a whole number from 1 to 1000"), refused.body());
        }
        assertNoSecretAfterIssue(List.of(a, c, onlyOther, adminToken));
    }

    /** Neither the server's log nor any admin listing holds a key or token in clear. */
    private void assertNoSecretAfterIssue(List<String> secrets) throws Exception {
        String listings = send("GET", "/admin/audit", adminToken, null).body() + send("GET", "/admin/tenants/a/keys", adminToken, null).body()
                + send("GET", "/admin/tenants/c/keys", adminToken, null).body() + send("GET", "/metrics", adminToken, null).body();
        String log = serverLog.toString(StandardCharsets.UTF_8);
        for (String s : secrets) {
            String secret = s.substring(s.indexOf('_', s.startsWith("mx_admin_") ? 9 : 8) + 1);
            assertFalse(log.contains(secret), "the server log holds a secret");
            assertFalse(listings.contains(secret), "a listing holds a secret");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTenantNeverReachesAnotherTenantsDataThroughAnyRoute(String kind) throws Exception {
        start(kind);
        String a = tenant("a", "ppu");
        String b = tenant("b", "ppu");
        billing.own(ADMIN, "private-b", "b");
        server.reconcile();
        // b has used its private model, and has an issued invoice for an ended period
        assertEquals(200, predict(b, "private-b").statusCode());
        long lastMonth = BillingPeriod.containing(System.currentTimeMillis()).startMs() - 1;
        billing.ledger().append(List.of(new UsageRecord("old-b", "b", "kb", "ppu", "private-b", 1, 1000, 0, 0, 5, 1, 200, true,
                lastMonth, null)));
        String invoiceId = billing.issue(ADMIN, "b", BillingPeriod.containing(lastMonth), System.currentTimeMillis()).id();
        String bKeyId = b.substring(8, b.indexOf('_', 8));
        assertEquals(200, send("GET", "/v1/invoices/" + invoiceId, b, null).statusCode(), "b reads its own invoice");

        JsonNode paths = Json.MAPPER.readTree(send("GET", "/openapi.json", null, null).body()).get("paths");
        List<String> checked = new ArrayList<>();
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
            for (var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                String url = path.getKey().replace("/v1/models/{id}", "/v1/models/private-b").replace("{name}", "private-b").replace("{version}", "1").replace("{id}", invoiceId)
                        .replace("{tenant}", "b").replace("{key}", "mx_live_" + bKeyId);
                String method = op.getKey().toUpperCase();
                String body = method.equals("GET") || method.equals("DELETE") ? null
                        : url.endsWith("/infer") ? "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 784], \"datatype\": \"FP32\", \"data\": ["
                        + "0,".repeat(783) + "0]}]}" : url.contains("completions") ? "{\"model\": \"private-b\", \"prompt\": \"x\","
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}"
                        : url.endsWith("/embeddings") ? "{\"model\": \"private-b\", \"input\": \"x\"}"
                        : url.contains("/models/") ? image() : "{\"period\": \"2026-01\", \"plan\": \"ppu\"}";
                HttpResponse<String> r = send(method, url, a, body);
                checked.add(method + " " + url + " -> " + r.statusCode());
                if (r.statusCode() == 200) {
                    assertTrue(Set.of("/v2/health/live", "/v2/health/ready", "/openapi.json", "/v1/models", "/v1/usage", "/v1/invoices")
                            .contains(url), "tenant a got 200 from " + method + " " + url + ": " + r.body());
                    assertFalse(r.body().contains("private-b") && !url.equals("/openapi.json"), url + " shows b's model: " + r.body());
                    assertFalse(r.body().contains(invoiceId) && !url.equals("/openapi.json"), url + " shows b's invoice");
                    assertFalse(r.body().contains(bKeyId), url + " shows b's key");
                } else {
                    assertTrue(Set.of(401, 403, 404).contains(r.statusCode()), method + " " + url + " -> " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertTrue(checked.size() >= 40, "every route of the OpenAPI document was tried: " + checked);
        // and the listings a may read hold only its own records
        assertFalse(send("GET", "/v1/usage?by=tenant", a, null).body().contains("\"b\""));
        assertFalse(send("GET", "/v1/usage?by=model", a, null).body().contains("private-b"));
        assertError(predict(a, "private-b"), 404, "unknown_model");
        assertFalse(predict(a, "nothing-here").body().contains("private-b"), "a 404 does not list b's private model");
        assertEquals(200, predict(b, "private-b").statusCode());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void rateLimitsAndQuotasHoldUnderConcurrentClients(String kind) throws Exception {
        start(kind);
        // a key with 5 requests/s and a burst of 10, hammered by 32 clients for 200 requests
        String limited = tenant("r", "free");
        limited = key("r", null, 5.0);
        String key = limited;
        long started = System.nanoTime();
        Map<Integer, Integer> statuses = hammer(32, 200, () -> predict(key, "cnn-28"));
        double seconds = (System.nanoTime() - started) / 1e9;
        int admitted = statuses.getOrDefault(200, 0);
        assertTrue(admitted >= 10, "the burst is admitted: " + statuses);
        assertTrue(admitted <= 10 + 5 * seconds + 1, admitted + " admitted in " + seconds + " s: more than burst + rate x time");
        assertEquals(200, admitted + statuses.getOrDefault(429, 0), statuses.toString());
        HttpResponse<String> refused = predict(key, "cnn-28");
        if (refused.statusCode() == 429) {
            assertNotNull(refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(refused.body().contains("rate limit"), refused.body());
        }

        // a free plan of 25 requests a month, 64 clients sending 150: exactly 25 served, the rest told why
        billing.createPlan(ADMIN, new Plan("tiny", io.moxing.billing.PlanKind.FREE, "USD", 25L, null, null, null, null, null, null,
                null, null, null));
        String q = tenant("q", "tiny");
        Map<Integer, Integer> quota = hammer(64, 150, () -> predict(q, "cnn-28"));
        assertEquals(25, quota.getOrDefault(200, 0), quota.toString());
        assertEquals(125, quota.getOrDefault(429, 0), quota.toString());
        HttpResponse<String> over = predict(q, "cnn-28");
        assertError(over, 429, "quota_exceeded");
        long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 31 * 86400, "Retry-After points at the next month: " + retryAfter);
        assertEquals(25, billing.ledger().totals("q", 0, Long.MAX_VALUE).requests(), "exactly the admitted requests are charged");
    }

    private interface Call {
        HttpResponse<String> call() throws Exception;
    }

    private static Map<Integer, Integer> hammer(int clients, int requests, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger left = new AtomicInteger(requests);
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            running.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) statuses.merge(call.call().statusCode(), 1, Integer::sum);
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        pool.shutdown();
        return new java.util.TreeMap<>(statuses);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyServedRequestIsMeteredOnceAndFailuresAreFree(String kind) throws Exception {
        start(kind);
        String p = tenant("p", "ppu");
        for (int i = 0; i < 3; i++) assertEquals(200, predict(p, "cnn-28").statusCode());
        HttpResponse<String> first = predict(p, "cnn-28", "Idempotency-Key", "order-17");
        HttpResponse<String> retry = predict(p, "cnn-28", "Idempotency-Key", "order-17");
        assertEquals(200, first.statusCode());
        assertEquals(200, retry.statusCode());
        assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertError(send("POST", "/v1/models/cnn-28/predict", p, "{\"image\": \"bm90IGFuIGltYWdl\"}"), 400, "not_an_image");
        assertError(predict(p, "cnn-28", "Idempotency-Key", "x".repeat(201)), 400, "invalid_idempotency_key");
        String v2 = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 1, 28, 28], \"datatype\": \"FP32\", \"data\": [" + "0,".repeat(1567) + "0]}]}";
        assertEquals(200, send("POST", "/v2/models/cnn-28/infer", p, v2).statusCode());

        JsonNode usage = Json.MAPPER.readTree(send("GET", "/v1/usage?by=model", p, null).body()).at("/rows/0");
        assertEquals("cnn-28", usage.get("group").asText());
        assertEquals(5, usage.get("charged").asLong(), "3 + 1 idempotent pair + 1 v2 request: " + usage);
        assertEquals(6, usage.get("units").asLong(), "the v2 request made two predictions");
        assertTrue(usage.get("compute_seconds").asDouble() > 0, usage.toString());
        var totals = billing.ledger().totals("p", 0, Long.MAX_VALUE);
        assertEquals(5, totals.requests());
        // the draft invoice bills exactly those predictions: 0.006 thousand x 0.50 = 0.003, rounded to 0.00
        JsonNode draft = Json.MAPPER.readTree(send("GET", "/admin/tenants/p/invoices/draft", adminToken, null).body());
        assertEquals("0.006", draft.at("/lines/0/quantity").asText());
        JsonNode byDay = Json.MAPPER.readTree(send("GET", "/admin/usage?by=day&tenant=p", adminToken, null).body());
        assertEquals(Instant.now().toString().substring(0, 10), byDay.at("/rows/0/group").asText());
        JsonNode econ = Json.MAPPER.readTree(send("GET", "/admin/economics", adminToken, null).body());
        assertEquals(5, econ.get("requests").asLong());
        assertTrue(send("GET", "/admin/economics/html", adminToken, null).body().contains("<img"));
        assertNoSecretAfterIssue(List.of(p, adminToken));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLanguageModelWritesTextAndIsChargedPerToken(String kind) throws Exception {
        start(kind);
        var poet = SharedHome.poet();
        var registry = new ModelRegistry(SharedHome.home().models());
        deployments.put(DeploymentRequests.target(poet.model() + ":" + poet.version(), "poet", "production", 100, 1, 0, 1, registry));
        server.reconcile();
        billing.createPlan(ADMIN, Plan.payPerUse("tokens", "USD", null, new java.math.BigDecimal("0.10"), new java.math.BigDecimal("0.30"), null));
        String t = tenant("t", "tokens");

        HttpResponse<String> r = send("POST", "/v1/models/poet/predict", t,
                "{\"prompt\": \"春\", \"max_tokens\": 12, \"temperature\": 0, \"seed\": 1}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(1, body.at("/usage/prompt_tokens").asInt());
        assertEquals(12, body.at("/usage/completion_tokens").asInt());
        assertFalse(body.get("text").asText().isEmpty());
        HttpResponse<String> again = send("POST", "/v1/models/poet/predict", t,
                "{\"prompt\": \"春\", \"max_tokens\": 12, \"temperature\": 0}");
        assertEquals(body.get("text").asText(), Json.MAPPER.readTree(again.body()).get("text").asText(), "greedy writes the same text");

        // a character the model never saw is read as its unknown token: answered, and charged like any other
        HttpResponse<String> odd = send("POST", "/v1/models/poet/predict", t, "{\"prompt\": \"春\u2603\", \"max_tokens\": 12}");
        assertEquals(200, odd.statusCode(), odd.body());
        assertEquals(2, Json.MAPPER.readTree(odd.body()).at("/usage/prompt_tokens").asInt());
        assertError(send("POST", "/v1/models/poet/predict", t, "{\"prompt\": \"春\", \"max_tokens\": 0}"), 400, "invalid_field");
        assertError(send("POST", "/v1/models/poet/predict", t, "{\"prompt\": \"春\", \"temperature\": \"hot\"}"), 400, "invalid_field");
        assertError(send("POST", "/v2/models/poet/infer", t, "{\"inputs\": []}"), 400, "unsupported_for_language_models");

        // three completions: 4 prompt tokens and 36 completion tokens, priced per 1,000 of each
        var totals = billing.ledger().totals("t", 0, Long.MAX_VALUE);
        assertEquals(3, totals.requests());
        assertEquals(4, totals.tokensIn());
        assertEquals(36, totals.tokensOut());
        JsonNode draft = Json.MAPPER.readTree(send("GET", "/admin/tenants/t/invoices/draft", adminToken, null).body());
        assertEquals("0.004", draft.at("/lines/0/quantity").asText(), draft.toString());
        assertEquals("0.036", draft.at("/lines/1/quantity").asText(), draft.toString());
    }

    /** Copies what the server writes to stderr into a buffer, and still shows it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
