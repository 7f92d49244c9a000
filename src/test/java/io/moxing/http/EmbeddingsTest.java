package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.billing.UsageQuery;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.predict.BuiltInEncoder;
import io.moxing.predict.EncoderImport;
import io.moxing.predict.SentenceEncoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /v1/embeddings over real HTTP on loopback, with the two built-in encoders imported from their jars as a
 * user imports them (all-MiniLM-L6-v2 for English, bge-small-zh-v1.5 for Chinese) and a metered server on a real
 * SQLite database: paraphrases land closer than unrelated texts, the answer is OpenAI's shape, tokens are metered,
 * and the key, visibility, limits and field checks hold as on every inference route.
 */
class EmbeddingsTest {
    @TempDir static Path tmp;
    private static final Actor ADMIN = new Actor("test", "junit");
    private static final String EN = "all-minilm-l6-v2";
    private static final String ZH = "bge-small-zh-v15";
    private static ModelServer server;
    private static BillingAdmin billing;
    private static ModelRegistry registry;
    private static String base;
    private static String a;
    private static String b;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Both encoders imported and deployed publicly, bge also as "private-zh" of tenant b; tenants a and b. */
    @BeforeAll
    static void start() {
        MoxingHome home = new MoxingHome(tmp.resolve("home"));
        registry = new ModelRegistry(home.models());
        EncoderImport.builtIn(registry, BuiltInEncoder.named(EN), EN);
        EncoderImport.builtIn(registry, BuiltInEncoder.named(ZH), ZH);
        var db = TestDatabases.fresh("sqlite", tmp);
        SqlDeployments deployments = new SqlDeployments(db);
        deployments.put(DeploymentRequests.target(EN + ":1", EN, "production", 100, null, null, 1, registry));
        deployments.put(DeploymentRequests.target(ZH + ":1", ZH, "production", 100, null, null, 1, registry));
        deployments.put(DeploymentRequests.target(ZH + ":1", "private-zh", "production", 100, null, null, 1, registry));
        billing = SqlBilling.open(db);
        billing.createPlan(ADMIN, Plan.free("free", 1_000_000, 10_000, 10_000));
        long now = System.currentTimeMillis() - 1000;
        billing.createTenant(ADMIN, "a", null, "free", now);
        billing.createTenant(ADMIN, "b", null, "free", now);
        billing.own(ADMIN, "private-zh", "b");
        a = billing.issueKey(ADMIN, "a", null, null, null, null, null, now).plaintext();
        b = billing.issueKey(ADMIN, "b", null, null, null, null, null, now).plaintext();
        server = new ModelServer(home, deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 64, 100), billing).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void englishParaphrasesAreCloserThanUnrelatedSentences() throws Exception {
        assertParaphrasesCloser(EN, List.of(
                List.of("A man is playing a guitar.", "Someone strums an acoustic instrument."),
                List.of("How do I reset my password?", "I forgot my login credentials and cannot sign in.")),
                List.of("The recipe needs two cups of flour.", "Quarterly earnings fell at the bank."));
    }

    @Test
    void chineseParaphrasesSharingFewCharactersAreCloserThanUnrelatedSentences() throws Exception {
        List<List<String>> pairs = List.of(List.of("我的手机屏幕摔碎了", "电话掉到地上，显示屏裂开"), List.of("如何申请退款", "怎样把钱要回来"));
        for (List<String> pair : pairs) {
            assertTrue(shared(pair.get(0), pair.get(1)) <= 1, "a paraphrase that shares characters proves little: " + pair);
        }
        assertParaphrasesCloser(ZH, pairs, List.of("这家餐馆的红烧肉很好吃", "明天北京有暴雨"));
    }

    /**
     * Each pair's cosine is above each of its texts' cosine with every text of another pair or the unrelated
     * list, by at least 0.1 (the margins measured are 0.2 to 0.6). The vectors come through the official OpenAI
     * Java SDK, unchanged but for its base URL and a Moxing key.
     */
    private void assertParaphrasesCloser(String model, List<List<String>> pairs, List<String> unrelated) throws Exception {
        List<String> texts = new ArrayList<>();
        pairs.forEach(texts::addAll);
        texts.addAll(unrelated);
        com.openai.client.OpenAIClient client = com.openai.client.okhttp.OpenAIOkHttpClient.builder().baseUrl(base + "/v1")
                .apiKey(a).maxRetries(0).build();
        var response = client.embeddings().create(com.openai.models.embeddings.EmbeddingCreateParams.builder().model(model)
                .inputOfArrayOfStrings(texts).build());
        assertEquals(texts.size(), response.data().size());
        assertTrue(response.usage().promptTokens() > texts.size(), "tokens are counted: " + response.usage());
        float[][] v = new float[texts.size()][];
        for (var e : response.data()) {
            List<Float> values = e.embedding();
            v[(int) e.index()] = new float[values.size()];
            for (int k = 0; k < values.size(); k++) v[(int) e.index()][k] = values.get(k);
        }
        for (int p = 0; p < pairs.size(); p++) {
            double paraphrase = cosine(v[2 * p], v[2 * p + 1]);
            for (int i = 2 * p; i <= 2 * p + 1; i++) {
                for (int j = 0; j < texts.size(); j++) {
                    if (j / 2 == p && j < 2 * pairs.size()) continue;
                    double other = cosine(v[i], v[j]);
                    assertTrue(paraphrase > other + 0.1, model + ": \"" + texts.get(2 * p) + "\" ~ \"" + texts.get(2 * p + 1)
                            + "\" " + paraphrase + " is not clearly above \"" + texts.get(i) + "\" ~ \"" + texts.get(j) + "\" " + other);
                }
            }
        }
    }

    @Test
    void answersInOpenAisShapeAndMetersEachTextAndItsTokens() throws Exception {
        long from = System.currentTimeMillis() - 1;
        List<String> texts = List.of("Embeddings are vectors.", "短句", "A third, somewhat longer text to embed today.");
        JsonNode answer = embed(a, body(EN, texts));
        assertEquals("list", answer.get("object").asText());
        assertEquals(EN, answer.get("model").asText());
        assertEquals(1, answer.get("version").asInt());
        assertEquals(3, answer.get("data").size());
        for (int i = 0; i < 3; i++) {
            JsonNode d = answer.get("data").get(i);
            assertEquals("embedding", d.get("object").asText());
            assertEquals(i, d.get("index").asInt());
            assertEquals(384, d.get("embedding").size());
        }
        for (float[] v : vectors(answer)) assertEquals(1.0, cosine(v, v), 1e-5, "a unit vector");
        // tokens as the model reads them, [CLS] and [SEP] included
        int tokens;
        try (SentenceEncoder encoder = SentenceEncoder.load(registry.resolve(EN))) {
            tokens = encoder.tokenize(texts).total();
        }
        assertEquals(tokens, answer.at("/usage/prompt_tokens").asInt());
        assertEquals(tokens, answer.at("/usage/total_tokens").asInt());
        // the usage record is durable before the answer leaves: one request, three predictions, its tokens in
        var rows = billing.ledger().query(new UsageQuery("a", null, EN, "model", from, System.currentTimeMillis() + 1));
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(1, rows.get(0).requests());
        assertEquals(3, rows.get(0).units());
        assertEquals(tokens, rows.get(0).tokensIn());
        assertEquals(0, rows.get(0).tokensOut());

        assertEquals(512, embed(a, "{\"model\": \"" + ZH + "\", \"input\": \"你好\", \"dimensions\": 512}")
                .at("/data/0/embedding").size(), "dimensions equal to the model's own are accepted");
    }

    @Test
    void base64IsTheSameFloatsLittleEndianAndATextsVectorDoesNotDependOnItsNeighbours() throws Exception {
        for (String model : List.of(EN, ZH)) {
            List<String> texts = List.of("Short.", "一个长得多的句子，里面有更多的字和词，用来和短句一起填充成一批。", "mid length text here");
            float[][] together = vectors(embed(a, body(model, texts)));
            JsonNode encoded = embed(a, "{\"model\": \"" + model + "\", \"input\": " + Json.line(texts)
                    + ", \"encoding_format\": \"base64\"}");
            for (int i = 0; i < texts.size(); i++) {
                byte[] bytes = Base64.getDecoder().decode(encoded.get("data").get(i).get("embedding").asText());
                float[] decoded = new float[bytes.length / 4];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
                assertArrayEquals(together[i], decoded, model + " input " + i);
                float[] alone = vectors(embed(a, body(model, List.of(texts.get(i)))))[0];
                assertTrue(cosine(alone, together[i]) > 0.99999, model + ": \"" + texts.get(i) + "\" alone and in a list: "
                        + cosine(alone, together[i]));
            }
        }
    }

    @Test
    void refusesWhatItCannotDoWithTheFieldAtFault() throws Exception {
        long charged = billing.ledger().totals("a", 0, Long.MAX_VALUE).requests();
        assertError(post(a, "{\"input\": \"x\"}"), 400, "missing_field", "\"model\"");
        assertError(post(a, "{\"model\": \"" + EN + "\"}"), 400, "missing_field", "\"input\"");
        assertError(post(a, body(EN, List.of())), 400, "invalid_field", "empty list");
        assertError(post(a, "{\"model\": \"" + EN + "\", \"input\": \"\"}"), 400, "invalid_field", "empty string");
        assertError(post(a, "{\"model\": \"" + EN + "\", \"input\": [1, 2, 3]}"), 400, "invalid_field", "token id");
        assertError(post(a, "{\"model\": \"" + EN + "\", \"input\": [[1, 2], [3]]}"), 400, "invalid_field", "token id");
        assertError(post(a, "{\"model\": \"" + EN + "\", \"input\": \"x\", \"encoding_format\": \"int8\"}"), 400,
                "invalid_field", "encoding_format");
        assertError(post(a, "{\"model\": \"" + EN + "\", \"input\": \"x\", \"dimensions\": 256}"), 400,
                "unsupported_dimensions", "384");
        assertError(post(a, body(EN, List.of("fine", "word ".repeat(300)))), 400, "input_too_long", "input[1] is 302 tokens");
        assertError(post(a, body(EN, java.util.Collections.nCopies(2049, "x"))), 400, "invalid_field", "2048");
        assertError(post(a, "{\"model\": \"" + EN + "\", \"input\": \"x\""), 400, "invalid_json", "");
        assertError(send("POST", "/v1/embeddings", a, body(EN, List.of("x")), "text/plain"), 415, "unsupported_media_type", "");
        assertError(send("POST", "/v1/models/" + EN + "/predict", a, "{\"inputs\": [[1]]}", "application/json"), 400,
                "unsupported_for_encoders", "/v1/embeddings");
        // no refused request was charged (or recorded)
        assertEquals(charged, billing.ledger().totals("a", 0, Long.MAX_VALUE).requests());
    }

    @Test
    void theKeyTheModelsVisibilityAndTheLimitsHoldAsOnEveryInferenceRoute() throws Exception {
        assertError(post(null, body(EN, List.of("x"))), 401, "missing_api_key", "");
        assertError(post("mx_live_nothing_here", body(EN, List.of("x"))), 401, "invalid_api_key", "");
        // another tenant's private deployment answers exactly as a name that does not exist
        HttpResponse<String> hidden = post(a, body("private-zh", List.of("你好")));
        HttpResponse<String> missing = post(a, body("no-such-model", List.of("你好")));
        assertError(hidden, 404, "unknown_model", "");
        assertError(missing, 404, "unknown_model", "");
        assertFalse(missing.body().contains("private-zh"), "a 404 does not list b's private model: " + missing.body());
        assertEquals(hidden.body().replace("private-zh", "NAME"), missing.body().replace("no-such-model", "NAME"));
        assertEquals(200, post(b, body("private-zh", List.of("你好"))).statusCode(), "its owner reaches it");
        // a key allowed other models only
        String onlyZh = billing.issueKey(ADMIN, "a", "zh-only", Set.of(ZH), null, null, null, System.currentTimeMillis()).plaintext();
        server.reconcile();
        assertError(post(onlyZh, body(EN, List.of("x"))), 403, "model_not_allowed", "");
        // a key with a rate of one request a minute: the second is refused with Retry-After
        String slow = billing.issueKey(ADMIN, "a", "slow", null, 1.0 / 60, 1, null, System.currentTimeMillis()).plaintext();
        server.reconcile();
        assertEquals(200, post(slow, body(EN, List.of("x"))).statusCode());
        HttpResponse<String> limited = post(slow, body(EN, List.of("x")));
        assertError(limited, 429, "rate_limited", "");
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        // the body limit is counted while the body is read (1 MB here)
        String big = body(EN, List.of("word ".repeat(250_000)));
        HttpResponse<String> tooBig = post(a, big);
        assertError(tooBig, 413, "body_too_large", "");
    }

    private static String body(String model, List<String> input) {
        return "{\"model\": \"" + model + "\", \"input\": " + Json.line(input) + "}";
    }

    private JsonNode embed(String key, String body) throws Exception {
        HttpResponse<String> r = post(key, body);
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        return send("POST", "/v1/embeddings", key, body, "application/json");
    }

    private HttpResponse<String> send(String method, String path, String key, String body, String type) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", type);
        if (key != null) r.header("Authorization", "Bearer " + key);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String inMessage) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertTrue(error.get("message").asText().contains(inMessage), r.body());
    }

    private static float[][] vectors(JsonNode answer) {
        JsonNode data = answer.get("data");
        float[][] out = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode e = data.get(i).get("embedding");
            out[i] = new float[e.size()];
            for (int d = 0; d < e.size(); d++) out[i][d] = (float) e.get(d).asDouble();
        }
        return out;
    }

    private static double cosine(float[] x, float[] y) {
        double dot = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return dot / Math.sqrt(xx * yy);
    }

    /** How many distinct characters two texts share, punctuation aside. */
    private static int shared(String x, String y) {
        Set<Integer> a = new HashSet<>();
        x.codePoints().filter(Character::isLetterOrDigit).forEach(a::add);
        return (int) y.codePoints().filter(Character::isLetterOrDigit).distinct().filter(a::contains).count();
    }
}
