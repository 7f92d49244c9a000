package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.SharedHome;
import io.moxing.core.Json;
import io.moxing.data.DatasetStore;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real HTTP on loopback, with a real cnn-28 model and a real SQLite database. */
class ModelServerTest {
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SqlDeployments deployments;
    private ModelServer server;
    private String base;
    private ModelRegistry registry;
    private String modelRef;

    @BeforeEach
    void start() {
        var cnn = SharedHome.cnn();
        modelRef = cnn.model() + ":" + cnn.version();
        registry = new ModelRegistry(SharedHome.home().models());
        deployments = new SqlDeployments(Database.open(null, tmp.resolve("moxing.db")));
        deployments.put(DeploymentRequests.target(modelRef, "cnn-28", "production", 100, 16, 20, 1, registry));
        server = startServer(new ServeOptions("127.0.0.1", 0, 64 * 1024, 30_000, 1024, 100).withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS));
    }

    private ModelServer startServer(ServeOptions options) {
        ModelServer s = new ModelServer(SharedHome.home(), deployments, options).start();
        base = "http://127.0.0.1:" + s.port();
        return s;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] png(int index) throws Exception {
        var image = new DatasetStore(SharedHome.home().datasets()).resolveOrImportKnown("fashion-mnist").image("test", index);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image.image(), "png", out);
        return out.toByteArray();
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String json) throws Exception {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = json(r).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertTrue(error.get("message").asText().length() > 10, r.body());
    }

    private static byte[] multipart(String boundary, String field, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"shoe.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void predictsFromAnUploadABase64ImageAndV2Tensors() throws Exception {
        byte[] png = png(0);
        HttpResponse<String> upload = post("/v1/models/cnn-28/predict", "multipart/form-data; boundary=xyz",
                multipart("xyz", "image", png));
        assertEquals(200, upload.statusCode(), upload.body());
        JsonNode p = json(upload);
        assertTrue(p.get("prediction_id").asText().length() > 10);
        assertEquals(p.get("prediction_id").asText() + ".0", p.at("/predictions/0/id").asText());
        assertEquals("cnn-28", p.get("model").asText());
        assertEquals("Ankle boot", p.at("/predictions/0/label").asText(), "test image 0 is an ankle boot");
        assertEquals(10, p.at("/predictions/0/probabilities").size());

        HttpResponse<String> b64 = postJson("/v1/models/cnn-28/predict",
                "{\"image\": \"" + Base64.getEncoder().encodeToString(png) + "\"}");
        assertEquals(200, b64.statusCode(), b64.body());
        assertEquals("Ankle boot", json(b64).at("/predictions/0/label").asText());

        // the Open Inference Protocol's request shape: one FP32 tensor, batch first, data flat
        float[] x = new float[784];
        x[400] = 1f;
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < x.length; i++) data.append(i == 0 ? "" : ",").append(x[i]);
        HttpResponse<String> v2 = postJson("/v2/models/cnn-28/infer", "{\"id\": \"42\", \"inputs\": [{\"name\": \"input\","
                + " \"shape\": [1, 1, 28, 28], \"datatype\": \"FP32\", \"data\": [" + data + "]}]}");
        assertEquals(200, v2.statusCode(), v2.body());
        JsonNode out = json(v2);
        assertEquals("cnn-28", out.get("model_name").asText());
        assertEquals("42", out.get("id").asText());
        String metered = out.at("/parameters/prediction_id").asText();
        assertTrue(metered.length() > 10 && !metered.equals("42"), "the id it is metered under, beside the client's: " + metered);
        assertEquals("[1,10]", out.at("/outputs/0/shape").toString());
        assertEquals("FP32", out.at("/outputs/0/datatype").asText());
        assertEquals(10, out.at("/outputs/0/data").size());
        assertEquals(200, postJson("/v2/models/cnn-28/versions/" + modelRef.split(":")[1] + "/infer",
                "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 1, 28, 28], \"datatype\": \"FP32\", \"data\": [" + data
                        + "]}]}").statusCode());

        assertEquals(true, json(get("/v2/health/live")).get("live").asBoolean());
        assertEquals(200, get("/v2/health/ready").statusCode());
        JsonNode meta = json(get("/v2/models/cnn-28"));
        assertEquals("[-1,1,28,28]", meta.at("/inputs/0/shape").toString());
        assertEquals("[-1,10]", meta.at("/outputs/0/shape").toString());
        assertTrue(json(get("/v2/models/cnn-28/ready")).get("ready").asBoolean());
        JsonNode openapi = json(get("/openapi.json"));
        for (String route : List.of("/v1/models/{name}/predict", "/v2/models/{name}/infer", "/metrics", "/admin/deployments")) {
            assertTrue(openapi.get("paths").has(route), route);
        }
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("moxing_requests_total{model=\"cnn-28\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("moxing_request_latency_seconds_bucket"), metrics);
        assertTrue(metrics.contains("moxing_model_load_seconds"), metrics);
        // the ankle boot predicted twice above (upload and base64), counted under its class for drift watching
        String boots = "moxing_predicted_class_total{class=\"Ankle boot\",model=\"cnn-28\"} ";
        assertTrue(metrics.lines().filter(l -> l.startsWith(boots))
                .anyMatch(l -> Double.parseDouble(l.substring(boots.length())) >= 2), metrics);
    }

    @Test
    void clientMistakesAre4xxWithAnErrorObject() throws Exception {
        assertError(postJson("/v1/models/cnn-28/predict", "{\"inputs\": [1, 2"), 400, "invalid_json");
        assertError(postJson("/v1/models/cnn-28/predict", "{\"inputs\": [1, 2, 3]}"), 400, "wrong_shape");
        assertError(postJson("/v1/models/cnn-28/predict", "{\"inputs\": [NaN]}"), 400, "invalid_json");
        assertError(postJson("/v1/models/cnn-28/predict", "{\"image\": \"bm90IGFuIGltYWdl\"}"), 400, "not_an_image");
        assertError(post("/v1/models/cnn-28/predict", "multipart/form-data; boundary=b",
                multipart("b", "image", "plain text".getBytes(StandardCharsets.UTF_8))), 400, "not_an_image");
        assertError(postJson("/v1/models/nothing/predict", "{\"inputs\": [1]}"), 404, "unknown_model");
        assertError(postJson("/v2/models/cnn-28/versions/99/infer", "{}"), 404, "unknown_version");
        assertError(postJson("/v2/models/cnn-28/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 28, 28],"
                + " \"datatype\": \"FP32\", \"data\": [1]}]}"), 400, "wrong_shape");
        assertError(postJson("/v2/models/cnn-28/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 1, 28, 28],"
                + " \"datatype\": \"BYTES\", \"data\": [\"a\"]}]}"), 400, "invalid_datatype");
        assertError(postJson("/v1/models/cnn-28/predict", "{\"inputs\": \"" + "x".repeat(100_000) + "\"}"), 413, "body_too_large");
        assertError(get("/v3/nothing"), 404, "not_found");
        assertError(postJson("/admin/deployments", "{\"model\": \"no-such-model\"}"), 404, "unknown_model");
    }

    @Test
    void concurrentRequestsShareBatches() throws Exception {
        byte[] body = ("{\"image\": \"" + Base64.getEncoder().encodeToString(png(1)) + "\"}").getBytes(StandardCharsets.UTF_8);
        int n = 48;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            // all threads started before any request is sent, so that the requests are concurrent and not staggered by
            // the pool's thread start-up (under a loaded suite, staggered requests could each find an empty batch)
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(n);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return post("/v1/models/cnn-28/predict", "application/json", body);
                }));
            }
            ready.await();
            go.countDown();
            for (var a : answers) assertEquals(200, a.get().statusCode());
        } finally {
            pool.shutdown();
        }
        String metrics = get("/metrics").body();
        double batches = metric(metrics, "moxing_batch_size_count{model=\"cnn-28\"}");
        double samples = metric(metrics, "moxing_batch_size_sum{model=\"cnn-28\"}");
        assertTrue(samples >= n, metrics);
        assertTrue(batches < samples, "concurrent requests share batches: " + batches + " batches for " + samples + " requests");
        assertTrue(metric(metrics, "moxing_batch_size_max{model=\"cnn-28\"}") > 1);
        // the model's CPU time, as bench serve reads it: counted, and within the batches' wall time on this thread
        double modelCpu = metric(metrics, "moxing_model_cpu_seconds_total{model=\"cnn-28\"}");
        double batchSeconds = metric(metrics, "moxing_batch_latency_seconds_sum{model=\"cnn-28\"}");
        assertTrue(modelCpu > 0 && modelCpu <= batchSeconds * 1.05, "model CPU " + modelCpu + " s in " + batchSeconds + " s of batches");
    }

    private static double metric(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + series));
    }

    @Test
    void trafficIsSplitByWeight() throws Exception {
        deployments.put(DeploymentRequests.target(modelRef, "cnn-28", "production", 80, 16, 0, 1, registry));
        deployments.put(DeploymentRequests.target(modelRef, "cnn-28", "canary", 20, 16, 0, 1, registry));
        server.reconcile();
        String body = "{\"inputs\": [" + "0,".repeat(783) + "0]}";
        int canary = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = postJson("/v1/models/cnn-28/predict", body);
            assertEquals(200, r.statusCode());
            if (json(r).get("alias").asText().equals("canary")) canary++;
        }
        double share = canary / (double) n;
        assertTrue(Math.abs(share - 0.20) <= 0.05, "canary share " + share);
        assertEquals("canary", json(postJson("/v1/models/cnn-28/predict?alias=canary", body)).get("alias").asText());
    }

    /** {@code n} predictions of a blank image sent without waiting for answers. */
    private List<CompletableFuture<HttpResponse<String>>> sendAtOnce(int n) {
        byte[] body = ("{\"inputs\": [" + "0,".repeat(783) + "0]}").getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/models/cnn-28/predict"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return answers;
    }

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws Exception {
        server.close();
        deployments.put(DeploymentRequests.target(modelRef, "cnn-28", "production", 100, 1, 0, 1, registry));
        server = startServer(new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1, 100).withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS));
        List<CompletableFuture<HttpResponse<String>>> answers = sendAtOnce(64);
        int refused = 0;
        for (var a : answers) {
            HttpResponse<String> r = a.get();
            assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.body());
            if (r.statusCode() == 503) {
                refused++;
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                assertError(r, 503, "overloaded");
            }
        }
        assertTrue(refused > 0, "a queue of 1 refuses some of 64 simultaneous requests");
    }

    @Test
    void gracefulShutdownFinishesRequestsInFlight() throws Exception {
        server.close();
        // a long batching delay keeps the requests waiting inside the server when the shutdown begins
        deployments.put(DeploymentRequests.target(modelRef, "cnn-28", "production", 100, 64, 500, 1, registry));
        server = startServer(new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 100).withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS));
        List<CompletableFuture<HttpResponse<String>>> answers = sendAtOnce(20);
        Thread.sleep(200);
        ModelServer draining = server;
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> draining.drainAndStop(Duration.ofSeconds(10)));
        Thread.sleep(50);
        // a new request meanwhile is refused, whichever front takes it (the direct front's plain path, Javalin's with a slash)
        byte[] rows = ("{\"inputs\": [" + "0,".repeat(783) + "0]}").getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("/v1/models/cnn-28/predict", "/v1/models/cnn-28/predict/")) {
            assertError(post(path, "application/json", rows), 503, "shutting_down");
        }
        drained.get();
        for (var a : answers) {
            assertEquals(200, a.get().statusCode(), "no request in flight is lost");
        }
    }

    @Test
    void explainsAnImageWithAnOcclusionMap() throws Exception {
        HttpResponse<String> r = post("/v1/models/cnn-28/explain", "multipart/form-data; boundary=q",
                multipart("q", "image", png(0)));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode e = json(r);
        assertEquals("occlusion", e.get("method").asText());
        assertEquals("Ankle boot", e.at("/prediction/label").asText());
        JsonNode map = e.get("map");
        assertTrue(map.size() > 5 && map.get(0).size() > 5, "a grid of occlusion positions");
        double max = 0;
        for (JsonNode row : map) for (JsonNode v : row) max = Math.max(max, v.asDouble());
        assertTrue(max > 0, "hiding some part of the shoe lowers the probability");
        byte[] png = Base64.getDecoder().decode(e.get("png").asText());
        assertTrue(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth() >= 28 * 8);
    }
}
