package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.Json;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serving edge against a hostile client with a valid key, over real HTTP (and raw sockets where a
 * well-behaved client cannot send what an attacker would): reused idempotency keys, oversized chunked
 * bodies, slow bodies, oversized requests, private names, malformed input — each a 4xx in the error
 * shape, never free work, never a 500, and a normal request still answered quickly.
 */
class ServingHardeningTest {
    @TempDir Path tmp;
    private static final Actor ADMIN = new Actor("test", "junit");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ModelServer server;
    private BillingAdmin billing;
    private SqlDeployments deployments;
    private Database db;
    private String base;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    private void start(String kind, ServeOptions options) {
        db = TestDatabases.fresh(kind, tmp);
        var cnn = SharedHome.cnn();
        String ref = cnn.model() + ":" + cnn.version();
        ModelRegistry registry = new ModelRegistry(SharedHome.home().models());
        deployments = new SqlDeployments(db);
        deployments.put(DeploymentRequests.target(ref, "cnn-28", "production", 100, 32, 2, 1, registry));
        deployments.put(DeploymentRequests.target(ref, "private-b", "production", 100, 32, 2, 1, registry));
        billing = SqlBilling.open(db);
        billing.createPlan(ADMIN, Plan.free("free", 1_000_000, 10_000, 10_000));
        server = new ModelServer(SharedHome.home(), deployments, options, billing).start();
        base = "http://127.0.0.1:" + server.port();
    }

    private void start() {
        start("sqlite", new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 4096, 100));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private String tenant(String id) {
        billing.createTenant(ADMIN, id, null, "free", System.currentTimeMillis() - 1000);
        return key(id, null, null);
    }

    private String key(String tenant, Double rate, Integer burst) {
        String key = billing.issueKey(ADMIN, tenant, null, null, rate, burst, null, System.currentTimeMillis()).plaintext();
        server.reconcile();
        return key;
    }

    private HttpResponse<String> send(String method, String path, String auth, String contentType, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (auth != null) b.header("Authorization", "Bearer " + auth);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> json(String path, String auth, String body, String... headers) throws Exception {
        return send("POST", path, auth, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A JSON body of {@code n} rows of 784 pixel values. */
    private static String rows(int n, float value) {
        float[] row = new float[784];
        Arrays.fill(row, value);
        String one = Json.line(row);
        StringBuilder b = new StringBuilder("{\"inputs\": [");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(one);
        return b.append("]}").toString();
    }

    private static byte[] png() throws Exception {
        var img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static String image() throws Exception {
        return "{\"image\": \"" + Base64.getEncoder().encodeToString(png()) + "\"}";
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, Json.MAPPER.readTree(r.body()).at("/error/code").asText(), r.body());
    }

    private long charged(String tenant) {
        return billing.ledger().totals(tenant, 0, Long.MAX_VALUE).requests();
    }

    private long predictions(String tenant) {
        return billing.ledger().totals(tenant, 0, Long.MAX_VALUE).units();
    }

    /** A raw HTTP/1.1 exchange: sends {@code request} as is and reads the answer until the server closes or 5 s pass. */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return readAnswer(s.getInputStream());
        }
    }

    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            // the answer so far is what the test looks at
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static int status(String rawAnswer) {
        Matcher m = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(rawAnswer);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private double requestsCounted() throws Exception {
        String metrics = metrics();
        double total = 0;
        Matcher m = Pattern.compile("(?m)^moxing_requests_total\\{[^}]*} ([0-9.E+]+)$").matcher(metrics);
        while (m.find()) total += Double.parseDouble(m.group(1));
        return total;
    }

    private String adminToken;

    private String adminToken() {
        if (adminToken == null) adminToken = billing.newAdminToken(ADMIN, System.currentTimeMillis());
        return adminToken;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anIdempotencyKeyBuysOneRequestAndItsReplaysNothingElse(String kind) throws Exception {
        start(kind, new ServeOptions("127.0.0.1", 0, 1 << 24, 30_000, 4096, 100));
        String a = tenant("a");
        HttpResponse<String> first = json("/v1/models/cnn-28/predict", a, rows(1, 0.1f), "Idempotency-Key", "k1");
        assertEquals(200, first.statusCode(), first.body());
        String metered = billing.ledger().idempotent("a", "k1").orElseThrow().requestId();
        JsonNode firstAnswer = Json.MAPPER.readTree(first.body());
        assertEquals(metered, firstAnswer.get("prediction_id").asText(), "the answer names the id it is metered under");
        assertEquals(metered + ".0", firstAnswer.at("/predictions/0/id").asText(), "and each row its own");
        // the finding: the same key with a larger body was computed, answered as a replay and not charged
        for (int i = 0; i < 3; i++) {
            assertError(json("/v1/models/cnn-28/predict", a, rows(1000, 0.2f), "Idempotency-Key", "k1"), 422,
                    "idempotency_key_reused");
        }
        assertError(json("/v1/models/cnn-28/explain", a, rows(1, 0.1f), "Idempotency-Key", "k1"), 422, "idempotency_key_reused");
        HttpResponse<String> retry = json("/v1/models/cnn-28/predict", a, rows(1, 0.1f), "Idempotency-Key", "k1");
        assertEquals(200, retry.statusCode());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(first.body(), retry.body(), "a replay is the first answer, byte for byte");
        assertEquals(1, charged("a"));
        assertEquals(1, predictions("a"));
        // the same key is another tenant's own key
        String b = tenant("b");
        HttpResponse<String> two = json("/v1/models/cnn-28/predict", b, rows(2, 0.3f), "Idempotency-Key", "k1");
        assertEquals(200, two.statusCode());
        JsonNode twoRows = Json.MAPPER.readTree(two.body());
        String request = billing.ledger().idempotent("b", "k1").orElseThrow().requestId();
        assertEquals(List.of(request + ".0", request + ".1"),
                List.of(twoRows.at("/predictions/0/id").asText(), twoRows.at("/predictions/1/id").asText()));
        assertEquals(2, predictions("b"));
        // once the kept answer is purged, a deterministic model recomputes the same answer, uncharged
        assertEquals(2, billing.ledger().purgeAnswers(System.currentTimeMillis() + 1));
        HttpResponse<String> late = json("/v1/models/cnn-28/predict", a, rows(1, 0.1f), "Idempotency-Key", "k1");
        assertEquals(200, late.statusCode());
        assertEquals("true", late.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(Json.MAPPER.readTree(first.body()), Json.MAPPER.readTree(late.body()));
        assertError(json("/v1/models/cnn-28/predict", a, rows(2, 0.1f), "Idempotency-Key", "k1"), 422, "idempotency_key_reused");
        assertEquals(1, charged("a"));
    }

    /** A v2 body: its JSON header, then {@code values} as little-endian FP32 (binary), or the values in the JSON. */
    private static byte[] v2Binary(String header, float[] values) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(json.length + values.length * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.put(json);
        for (float v : values) body.putFloat(v);
        return body.array();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReplayedBinaryAnswerStillSaysWhereItsJsonEnds(String kind) throws Exception {
        start(kind, new ServeOptions("127.0.0.1", 0, 1 << 24, 30_000, 4096, 100));
        String a = tenant("a");
        String header = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":3136}}],\"parameters\":{\"binary_data_output\":true}}";
        float[] pixels = new float[784];
        Arrays.fill(pixels, 0.2f);
        byte[] body = v2Binary(header, pixels);
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            answers.add(http.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/cnn-28/infer"))
                    .header("Authorization", "Bearer " + a).header("Content-Type", "application/octet-stream")
                    .header("Inference-Header-Content-Length", Integer.toString(header.getBytes(StandardCharsets.UTF_8).length))
                    .header("Idempotency-Key", "bin-1").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        HttpResponse<byte[]> first = answers.get(0), replay = answers.get(1);
        assertEquals(200, first.statusCode());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertTrue(Arrays.equals(first.body(), replay.body()), "a replay is the first answer, byte for byte");
        // the finding: the replay came without it, so a client could not tell the JSON from the tensor after it
        String length = first.headers().firstValue("Inference-Header-Content-Length").orElseThrow();
        assertEquals(length, replay.headers().firstValue("Inference-Header-Content-Length").orElse(null));
        assertEquals(first.headers().firstValue("Content-Type"), replay.headers().firstValue("Content-Type"));
        JsonNode json = Json.MAPPER.readTree(new String(first.body(), 0, Integer.parseInt(length), StandardCharsets.UTF_8));
        assertEquals(40, first.body().length - Integer.parseInt(length), "ten FP32 class scores after the JSON: " + json);
        assertEquals(1, charged("a"));
    }

    @Test
    void anInputTheModelCannotComputeWithIsRefusedUncharged() throws Exception {
        start();
        String a = tenant("a");
        // every value within float32's range, yet the model's arithmetic overflows: its scores were "NaN", answered 200
        float[] huge = new float[784];
        Arrays.fill(huge, 3.4e38f);
        String v2 = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":"
                + Json.line(huge) + "}]}";
        HttpResponse<String> refused = json("/v2/models/cnn-28/infer", a, v2);
        assertError(refused, 422, "output_not_finite");
        assertTrue(refused.body().contains("sample 0"), refused.body());
        float[] fine = new float[784];
        Arrays.fill(fine, 0.5f);
        assertEquals(200, json("/v2/models/cnn-28/infer", a, "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],"
                + "\"datatype\":\"FP32\",\"data\":" + Json.line(fine) + "}]}").statusCode());
        assertEquals(1, charged("a"), "the refused request is not charged");
    }

    @Test
    void aMalformedEscapeInThePathOrQueryIsA400EvenWithoutAKey() throws Exception {
        start();
        String a = tenant("a");
        // Jetty passes %uXXXX on (its old UTF-16 escape); decoding the name then threw: a 500 and a log line each time
        for (String line : List.of("POST /v2/models/%u2028/infer", "GET /v2/models/%u2028", "GET /v2/models/%u2028/ready",
                "POST /v1/models/%u2028x/predict")) {
            String answer = raw(line + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertEquals(400, status(answer), line + ": " + answer);
            assertTrue(answer.contains("\"invalid_path\""), answer);
        }
        // a '%' Jetty itself refuses is a 400 in the same shape
        String jetty = raw("POST /v1/models/cnn-28%/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(400, status(jetty), jetty);
        assertTrue(jetty.contains("{\"error\":{"), jetty);
        // on Javalin's routes and on the direct front's (a prediction's plain path), before any key
        for (String line : List.of("GET /v1/usage?from=%u20", "POST /v1/models/cnn-28/predict?alias=%u20",
                "POST /v2/models/cnn-28/infer?alias=%zz")) {
            String query = raw(line + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertEquals(400, status(query), line + ": " + query);
            assertTrue(query.contains("\"invalid_query\""), query);
        }
        // an escape that is whole still names a model
        assertEquals(404, send("GET", "/v2/models/no%2Dsuch", a, null, null).statusCode());
    }

    /** A 28×28 image of a gradient as PNG: grey, or grey with an opaque alpha channel (colour type 4). */
    private static byte[] gradientPng(boolean alpha) throws Exception {
        java.awt.image.BufferedImage image;
        if (alpha) {
            var model = new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(
                    java.awt.color.ColorSpace.CS_GRAY), true, false, java.awt.Transparency.TRANSLUCENT,
                    java.awt.image.DataBuffer.TYPE_BYTE);
            image = new java.awt.image.BufferedImage(model, model.createCompatibleWritableRaster(28, 28), false, null);
        } else {
            image = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        }
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int grey = (x * 9 + y * 3) % 256;
                image.getRaster().setPixel(x, y, alpha ? new int[] {grey, 255} : new int[] {grey});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(javax.imageio.ImageIO.write(image, "png", out));
        byte[] png = out.toByteArray();
        assertEquals(alpha ? 4 : 0, png[25], "the PNG's colour type");
        return png;
    }

    private HttpResponse<String> upload(String key, byte[] png) throws Exception {
        String boundary = "b0undary";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        form.write(png);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return send("POST", "/v1/models/cnn-28/predict", key, "multipart/form-data; boundary=" + boundary, form.toByteArray());
    }

    @Test
    void aGreyPngWithAnOpaqueAlphaChannelIsAnsweredAsTheSameGreyPng() throws Exception {
        start();
        String a = tenant("a");
        HttpResponse<String> grey = upload(a, gradientPng(false)), greyAlpha = upload(a, gradientPng(true));
        assertEquals(200, grey.statusCode(), grey.body());
        assertEquals(200, greyAlpha.statusCode(), greyAlpha.body());
        // the finding: Java took the grey as linear light and redrew it through the sRGB curve (grey 50 became 124)
        assertEquals(Json.MAPPER.readTree(grey.body()).at("/predictions/0/probabilities"),
                Json.MAPPER.readTree(greyAlpha.body()).at("/predictions/0/probabilities"));
        // a refusal names the upload as an answer may repeat a client's text: not a 100 KB file name whole
        String boundary = "b0undary";
        byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + "n".repeat(100_000)
                + "\"\r\n\r\nnot a png\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> named = send("POST", "/v1/models/cnn-28/predict", a, "multipart/form-data; boundary=" + boundary, form);
        assertEquals(400, named.statusCode(), named.body().substring(0, Math.min(300, named.body().length())));
        assertTrue(named.body().length() < 1000 && named.body().contains("(100000 characters)"),
                named.body().substring(0, Math.min(300, named.body().length())));
    }

    @Test
    void aSampledTextIsReplayedFromTheKeptAnswerAndAConcurrentDuplicateWaits() throws Exception {
        start();
        var poet = SharedHome.poet();
        deployments.put(DeploymentRequests.target(poet.model() + ":" + poet.version(), "poet", "production", 100, 1, 0, 1,
                new ModelRegistry(SharedHome.home().models())));
        server.reconcile();
        String t = tenant("t");
        String body = "{\"prompt\": \"春\", \"max_tokens\": 1500, \"temperature\": 1.0}";
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return json("/v1/models/poet/predict", t, body, "Idempotency-Key", "poem-1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        HttpResponse<String> duplicate = json("/v1/models/poet/predict", t, body, "Idempotency-Key", "poem-1");
        assertTrue(!first.isDone(), "the first request should still be writing; the test needs a longer text");
        assertError(duplicate, 409, "idempotency_key_in_progress");
        HttpResponse<String> answered = first.get();
        assertEquals(200, answered.statusCode(), answered.body());
        HttpResponse<String> replay = json("/v1/models/poet/predict", t, body, "Idempotency-Key", "poem-1");
        assertEquals(answered.body(), replay.body(), "a sampled text cannot be recomputed: the kept one is replayed");
        assertEquals(1, charged("t"));
        billing.ledger().purgeAnswers(System.currentTimeMillis() + 1);
        assertError(json("/v1/models/poet/predict", t, body, "Idempotency-Key", "poem-1"), 422, "idempotent_answer_expired");
    }

    @Test
    void bodiesAreLimitedWhileTheyAreReadWhateverTheirTransferEncoding() throws Exception {
        start();
        String a = tenant("a");
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) '1');
        for (String path : List.of("/v1/models/cnn-28/predict", "/v2/models/cnn-28/infer")) {
            // 50 MB, chunked: no Content-Length to refuse up front
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + a)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                        private long left = 50L * 1024 * 1024;

                        @Override
                        public int read() {
                            return left-- > 0 ? '1' : -1;
                        }

                        @Override
                        public int read(byte[] b, int off, int len) {
                            if (left <= 0) return -1;
                            int n = (int) Math.min(len, left);
                            Arrays.fill(b, off, off + n, (byte) '1');
                            left -= n;
                            return n;
                        }
                    })).build();
            long start = System.nanoTime();
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                // the server may close the connection while the client is still sending: then read the raw answer
                r = null;
            }
            if (r != null) assertError(r, 413, "body_too_large");
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused without reading 50 MB");
        }
        String raw = raw("POST /v1/models/cnn-28/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + "10000\r\n" + "1".repeat(0x10000)
                + "\r\n" + ("10000\r\n" + "1".repeat(0x10000) + "\r\n").repeat(20));
        assertEquals(413, status(raw), raw.lines().findFirst().orElse(""));
        assertEquals(200, json("/v1/models/cnn-28/predict", a, image()).statusCode());
        assertEquals(1, charged("a"), "only the valid request is charged");
    }

    @Test
    void slowBodiesHoldNoThreadAndAreCutOff() throws Exception {
        start("sqlite", new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 4096, 100).withBodyPacing(1024, 3000));
        String a = tenant("a");
        String warm = image();
        for (int i = 0; i < 20; i++) json("/v1/models/cnn-28/predict", a, warm);
        List<Socket> slow = new ArrayList<>();
        // what the server logs meanwhile: not a line per request (Jetty warned once per body cut off)
        java.io.PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/models/cnn-28/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"in").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            long worst = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertEquals(200, json("/v1/models/cnn-28/predict", a, warm).statusCode());
                worst = Math.max(worst, System.nanoTime() - start);
                for (int j = i; j < slow.size(); j += 20) slow.get(j).getOutputStream().write('p');
            }
            assertTrue(worst < 100_000_000L, "a normal predict beside 300 slow bodies took " + worst / 1e6 + " ms");
            Thread.sleep(2500);
            int cutOff = 0;
            for (Socket s : slow) if (status(readAnswer(s.getInputStream())) == 408) cutOff++;
            assertEquals(slow.size(), cutOff, "every body trickling in below the minimum rate is answered 408");
        } finally {
            System.setErr(stderr);
            for (Socket s : slow) s.close();
        }
        List<String> lines = logged.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.size() < 10, lines.size() + " lines logged for 300 slow bodies, first: " + lines.stream().limit(2).toList());
        assertEquals(200, json("/v1/models/cnn-28/predict", a, warm).statusCode());
        assertEquals(20 + 20 + 1, charged("a"));
    }

    @Test
    void anOversizedRequestIsRefusedWholeBeforeAnyWorkAndTenantsShareTheQueueFairly() throws Exception {
        start("sqlite", new ServeOptions("127.0.0.1", 0, 1 << 24, 30_000, 4096, 100));
        String a = tenant("a");
        String b = tenant("b");
        double batchesBefore = batches();
        assertError(json("/v1/models/cnn-28/predict", a, rows(1100, 0.5f)), 413, "too_many_rows");
        assertEquals(batchesBefore, batches(), "nothing of the refused request was computed");
        assertEquals(0, charged("a"));
        HttpResponse<String> big = json("/v1/models/cnn-28/predict", a, rows(1000, 0.5f));
        assertEquals(200, big.statusCode());
        assertEquals(1000, Json.MAPPER.readTree(big.body()).get("predictions").size());
        assertEquals(1000, predictions("a"));
        // b alone, then b while a sends 1,000-row requests from two clients without pause
        String small = image();
        List<Long> alone = latencies(b, small, 40);
        ExecutorService flood = Executors.newFixedThreadPool(2);
        var stopFlood = new java.util.concurrent.atomic.AtomicBoolean();
        String bigBody = rows(1000, 0.5f);
        List<Future<Integer>> floods = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            floods.add(flood.submit(() -> {
                int served = 0;
                while (!stopFlood.get()) if (json("/v1/models/cnn-28/predict", a, bigBody).statusCode() == 200) served++;
                return served;
            }));
        }
        Thread.sleep(500);
        List<Long> beside = latencies(b, small, 40);
        stopFlood.set(true);
        int floodServed = 0;
        for (Future<Integer> f : floods) floodServed += f.get();
        flood.shutdown();
        assertTrue(floodServed > 0, "a's requests were served too");
        long p50Alone = percentile(alone, 0.5);
        long p50Beside = percentile(beside, 0.5);
        System.out.printf("fair queueing: b alone p50 %.1f ms p99 %.1f ms; beside a's flood p50 %.1f ms p99 %.1f ms; a served %d x 1,000 rows%n",
                p50Alone / 1e6, percentile(alone, 0.99) / 1e6, p50Beside / 1e6, percentile(beside, 0.99) / 1e6, floodServed);
        // one 1,000-row request runs in batches of 32: b waits for at most the batch running, not for a's queue
        // first-come first-served, b would wait behind two 1,000-row requests: 62 batches, hundreds of ms
        assertTrue(p50Beside < 4 * p50Alone + 20_000_000L, "b's median " + p50Beside / 1e6 + " ms beside a's flood, "
                + p50Alone / 1e6 + " ms alone");
    }

    private List<Long> latencies(String key, String body, int n) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            assertEquals(200, json("/v1/models/cnn-28/predict", key, body).statusCode());
            out.add(System.nanoTime() - start);
        }
        return out;
    }

    private static long percentile(List<Long> values, double q) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private double batches() throws Exception {
        String metrics = metrics();
        Matcher m = Pattern.compile("(?m)^moxing_batch_size_count\\{model=\"cnn-28\"} ([0-9.E+]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** A server where tenant b owns "private-b"; returns the key of tenant a, who does not. */
    private String startWithAPrivateModelOfB() {
        start();
        String a = tenant("a");
        tenant("b");
        billing.own(ADMIN, "private-b", "b");
        server.reconcile();
        return a;
    }

    @Test
    void anotherTenantsPrivateNameAnswersExactlyAsANameThatDoesNotExist() throws Exception {
        String a = startWithAPrivateModelOfB();
        for (String path : List.of("/v1/models/%s/predict", "/v2/models/%s/infer")) {
            HttpResponse<String> hidden = json(path.formatted("private-b"), a, image());
            HttpResponse<String> missing = json(path.formatted("nothing-here"), a, image());
            assertEquals(404, hidden.statusCode());
            assertEquals(missing.body().replace("nothing-here", "NAME"), hidden.body().replace("private-b", "NAME"));
            assertEquals(missing.headers().map().keySet(), hidden.headers().map().keySet());
        }
        HttpResponse<String> hidden = send("GET", "/v2/models/private-b", a, null, null);
        HttpResponse<String> missing = send("GET", "/v2/models/nothing-here", a, null, null);
        assertEquals(missing.body().replace("nothing-here", "NAME"), hidden.body().replace("private-b", "NAME"));
    }

    @Test
    void aKeysOwnRateBringsItsOwnBurst() throws Exception {
        start();
        tenant("a");
        String limited = key("a", 2.0, null);
        String body = image();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 32; i++) answers.add(pool.submit(() -> json("/v1/models/cnn-28/predict", limited, body).statusCode()));
        int ok = 0;
        for (Future<Integer> f : answers) if (f.get() == 200) ok++;
        pool.shutdown();
        // burst 2 (the key's own rate), plus what refills while 32 requests are sent
        assertTrue(ok >= 2 && ok <= 4, ok + " of 32 requests passed a key of 2 requests/s");
    }

    @Test
    void aPlansRateIsTheTenantsHoweverManyKeysItMakes() throws Exception {
        start();
        billing.createPlan(ADMIN, Plan.free("slow", 1_000_000, 2.0, 2));
        billing.createTenant(ADMIN, "s", null, "slow", System.currentTimeMillis() - 1000);
        List<String> keys = List.of(key("s", null, null), key("s", null, null), key("s", null, null), key("s", null, null));
        String body = image();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String key = keys.get(i % keys.size());
            answers.add(pool.submit(() -> json("/v1/models/cnn-28/predict", key, body)));
        }
        int ok = 0;
        HttpResponse<String> refused = null;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) ok++;
            else refused = r;
        }
        pool.shutdown();
        // one bucket of 2 for the tenant (plus what refills meanwhile), not one per key: 8 or more would be four buckets
        assertTrue(ok >= 2 && ok <= 4, ok + " of 32 requests over four keys of a tenant whose plan allows 2 requests/s");
        assertError(refused, 429, "rate_limited");
        assertTrue(refused.body().contains("plan slow for tenant s"), refused.body());
        // a key the operator gave a rate of its own keeps its own bucket
        String own = key("s", 50.0, 50);
        assertEquals(200, json("/v1/models/cnn-28/predict", own, body).statusCode());
    }

    @Test
    void aBodyThatNamesTheModelIsNotReadForACallerOverItsRate() throws Exception {
        start();
        tenant("a");
        String limited = key("a", 0.1, 1);
        String chat = "{\"model\": \"cnn-28\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        HttpResponse<String> first = send("POST", "/v1/chat/completions", limited, "application/json",
                chat.getBytes(StandardCharsets.UTF_8));
        assertError(first, 400, "not_a_language_model");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            // ten megabytes announced, a few bytes sent (Jetty dispatches a request once some of its body is there): a
            // server that read the body before the rate limit would wait for the rest
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + limited + "\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"model\": ")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String answer = readAnswer(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 429"), "refused on its headers: " + answer);
            assertTrue(answer.contains("rate_limited"), answer);
        }
    }

    @Test
    void headWhereARouteChecksAKeyAndCompressedBodiesAreRefusedNotAnsweredBlind() throws Exception {
        start();
        String a = tenant("a");
        // Javalin would answer 200 without running the route: no key checked, no model looked up
        for (String path : List.of("/v1/usage", "/v2/models/nothing-here", "/v2/models/cnn-28", "/v1/models")) {
            for (String key : java.util.Arrays.asList(null, a)) {
                HttpResponse<String> head = send("HEAD", path, key, null, null);
                assertEquals(405, head.statusCode(), "HEAD " + path);
                assertEquals("GET", head.headers().firstValue("Allow").orElse(null), path);
            }
        }
        assertEquals(200, send("HEAD", "/v2/health/live", null, null, null).statusCode(), "a load balancer's probe");
        assertEquals(send("GET", "/v2/health/live/", null, null, null).statusCode(),
                send("HEAD", "/v2/health/live/", null, null, null).statusCode(), "with a trailing slash");
        // where GET has no route, HEAD is answered as GET is there
        for (String path : List.of("/nothing/here", "/v1/models/cnn-28/predict")) {
            int get = send("GET", path, a, null, null).statusCode();
            assertEquals(get, send("HEAD", path, a, null, null).statusCode(), "HEAD " + path);
            assertTrue(get == 404 || get == 405, path + ": " + get);
        }
        assertError(json("/v1/models/cnn-28/predict", a, image(), "Content-Encoding", "gzip"), 415,
                "unsupported_content_encoding");
        // every header and every coding listed counts, not only the first
        assertError(json("/v1/models/cnn-28/predict", a, image(), "Content-Encoding", "identity", "Content-Encoding", "gzip"),
                415, "unsupported_content_encoding");
        assertError(json("/v1/models/cnn-28/predict", a, image(), "Content-Encoding", "identity, br"), 415,
                "unsupported_content_encoding");
        assertEquals(200, json("/v1/models/cnn-28/predict", a, image(), "Content-Encoding", "identity").statusCode());
        assertEquals(200, send("GET", "/v1/usage", a, null, null).statusCode());
    }

    @Test
    void decodingABodyIsMeteredAsComputeWithTheModel() throws Exception {
        start();
        String a = tenant("a");
        // four 2048x2048 RGB images: each decodes to 12 MB of pixels before it is shrunk to 28x28
        java.awt.image.BufferedImage large = new java.awt.image.BufferedImage(2048, 2048, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2048; y++) {
            for (int x = 0; x < 2048; x++) large.setRGB(x, y, (x * 7 + y * 3) & 0xFF);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(large, "png", png);
        byte[] form = CnnServer.multipart("image", "large.png", png.toByteArray(), 4);
        double before = computeSeconds(a);
        long started = System.nanoTime();
        HttpResponse<String> answer = send("POST", "/v1/models/cnn-28/predict", a, "multipart/form-data; boundary=b0undary", form);
        double wall = (System.nanoTime() - started) / 1e9;
        assertEquals(200, answer.statusCode(), answer.body());
        double metered = computeSeconds(a) - before;
        // the model's part, four 28x28 images, is a few milliseconds; decoding is most of the request
        assertTrue(metered > 0.4 * wall && metered <= wall, "metered " + metered + " s of a request of " + wall + " s");
    }

    private double computeSeconds(String key) throws Exception {
        JsonNode rows = Json.MAPPER.readTree(send("GET", "/v1/usage?by=model", key, null, null).body()).get("rows");
        return rows.size() == 0 ? 0 : rows.get(0).get("compute_seconds").asDouble();
    }

    @Test
    void anAnswerRepeatsAtMostTheLengthOfANameOfWhatTheClientSent() throws Exception {
        start();
        String a = tenant("a");
        String name = "m".repeat(100_000);
        HttpResponse<String> unknown = json("/v1/chat/completions", a, "{\"model\": \"" + name + "\", \"messages\": []}");
        assertError(unknown, 404, "unknown_model");
        assertTrue(unknown.body().length() < 1000 && unknown.body().contains("(100000 characters)"), unknown.body());
        // a right-to-left override would reorder the answer where it is shown; the echo names it instead
        HttpResponse<String> reordered = json("/v1/chat/completions", a, "{\"model\": \"abc\u202Edef\u200B\", \"messages\": []}");
        assertError(reordered, 404, "unknown_model");
        assertTrue(reordered.body().contains("'abc\\\\u202Edef\\\\u200B'"), reordered.body());
        // a backslash the client typed is shown escaped too, so that its text cannot pass for a shown character
        HttpResponse<String> typed = json("/v1/chat/completions", a, "{\"model\": \"a\\\\u202E\u2028\", \"messages\": []}");
        assertTrue(typed.body().contains("'a\\\\u005Cu202E\\\\u2028'"), typed.body());
    }

    @Test
    void aBodyOfEmptyObjectsIsRefusedBeforeItsTreeOutgrowsItsBytesByFar() throws Exception {
        start();
        String a = tenant("a");
        String objects = "{\"model\": \"cnn-28\", \"x\": [" + "{},".repeat(300_000) + "{}]}";
        long started = System.nanoTime();
        for (String path : List.of("/v1/chat/completions", "/v1/models/cnn-28/predict")) {
            HttpResponse<String> refused = json(path, a, objects);
            assertError(refused, 400, "json_too_nested");
            assertTrue(refused.body().contains("one per 16 bytes"), refused.body());
        }
        // real bodies hold far fewer containers than that: 300 rows of 784 numbers, near this server's 1 MB limit
        assertEquals(200, json("/v1/models/cnn-28/predict", a, rows(300, 0.1f)).statusCode());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20), "refused while parsing, not after");
    }

    @Test
    void aKeysRateMayCountPredictions() throws Exception {
        start();
        tenant("a");
        String key = billing.issueKey(ADMIN, "a", null, null, 5.0, 10, io.moxing.billing.RateUnit.PREDICTIONS, null,
                System.currentTimeMillis()).plaintext();
        server.reconcile();
        assertEquals(200, json("/v1/models/cnn-28/predict", key, rows(8, 0.1f)).statusCode());
        // 8 of the burst of 10 are spent: 8 more predictions are over the limit, though it is only the second request
        HttpResponse<String> second = json("/v1/models/cnn-28/predict", key, rows(8, 0.1f));
        assertError(second, 429, "rate_limited");
        assertTrue(second.body().contains("predictions"), second.body());
        assertTrue(second.headers().firstValue("Retry-After").isPresent());
        assertError(json("/v1/models/cnn-28/predict", key, rows(11, 0.1f)), 400, "request_over_burst");
        assertEquals(8, predictions("a"));
    }

    @Test
    void clientMistakesAreFourHundredsInTheErrorShapeAndEveryAnswerIsCounted() throws Exception {
        start();
        String a = tenant("a");
        double before = requestsCounted();
        int sent = 0;
        String boundary = "b0undary";
        byte[] png = png();
        // malformed and truncated multipart, and more parts than a request may hold samples
        String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n";
        byte[] truncated = (part + "PNG...").getBytes(StandardCharsets.ISO_8859_1);
        assertError(send("POST", "/v1/models/cnn-28/predict", a, "multipart/form-data; boundary=" + boundary, truncated), 400,
                "invalid_multipart");
        assertError(send("POST", "/v1/models/cnn-28/predict", a, "multipart/form-data", truncated), 400, "invalid_multipart");
        assertError(send("POST", "/v1/models/cnn-28/predict", a, "multipart/form-data; boundary=zzz", truncated), 400,
                "invalid_multipart");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1100; i++) many.append(part).append("x\r\n");
        many.append("--").append(boundary).append("--\r\n");
        assertError(send("POST", "/v1/models/cnn-28/predict", a, "multipart/form-data; boundary=" + boundary,
                many.toString().getBytes(StandardCharsets.ISO_8859_1)), 413, "too_many_rows");
        sent += 4;
        // media types are case-insensitive
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(part.getBytes(StandardCharsets.ISO_8859_1));
        form.write(png);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(200, send("POST", "/v1/models/cnn-28/predict", a, "Multipart/Form-Data; Boundary=" + boundary,
                form.toByteArray()).statusCode());
        sent++;
        // dates beyond what epoch milliseconds hold
        for (String q : List.of("/v1/usage?from=+999999999-12-31", "/v1/usage?to=-999999999-01-01",
                "/v1/usage?from=+1000000000-01-01T00:00:00Z")) {
            assertError(send("GET", q, a, null, null), 400, "invalid_field");
            sent++;
        }
        assertError(send("POST", "/admin/tenants/a/invoices", adminToken(), "application/json",
                "{\"period\": \"+999999999-12\"}".getBytes(StandardCharsets.UTF_8)), 400, "invalid_field");
        sent++;
        // a truncated upload: the client promises 1,000 bytes, sends 10 and closes
        String cut = raw("POST /v1/models/cnn-28/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"inputs\":");
        assertTrue(status(cut) == 400 || cut.isEmpty(), cut);
        // a chunk size no body could have
        String huge = raw("POST /v1/models/cnn-28/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n1\r\n");
        assertTrue(status(huge) >= 400 && status(huge) < 500, huge);
        assertTrue(huge.contains("\"error\""), "Jetty's own errors are in the project's shape: " + huge);
        sent++;
        // wrong methods name what is allowed
        HttpResponse<String> wrongMethod = send("GET", "/v1/models/cnn-28/predict", a, null, null);
        assertError(wrongMethod, 405, "method_not_allowed");
        assertTrue(wrongMethod.headers().firstValue("Allow").orElse("").contains("POST"), wrongMethod.headers().toString());
        sent++;
        // the Bearer scheme is case-insensitive; a credential without a scheme is refused
        HttpResponse<String> lower = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/cnn-28/predict"))
                .header("Authorization", "bearer " + a).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(image())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, lower.statusCode(), lower.body());
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/cnn-28/predict"))
                .header("Authorization", a).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(image())).build(), HttpResponse.BodyHandlers.ofString());
        assertError(bare, 401, "invalid_api_key");
        sent += 2;
        Thread.sleep(200);
        // the truncated upload may or may not have been answered before the client left; the rest are counted
        assertTrue(requestsCounted() - before >= sent, "answers counted: " + (requestsCounted() - before) + " of " + sent);
    }

    @Test
    void aKeyRevokedByAnotherProcessStopsWorkingAtOnce() throws Exception {
        start();
        String a = tenant("a");
        assertEquals(200, json("/v1/models/cnn-28/predict", a, image()).statusCode());
        // the CLI revokes through its own connection to the same database, as `moxing keys revoke` does
        BillingAdmin cli = SqlBilling.open(db);
        cli.revokeKey(ADMIN, io.moxing.billing.Secrets.keyId(a), System.currentTimeMillis());
        Thread.sleep(2);
        assertError(json("/v1/models/cnn-28/predict", a, image()), 401, "invalid_api_key");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"predict", "explain"})
    void aClientGoneBeforeItsAnswerIsCountedAs499NotAs200(String route) throws Exception {
        start();
        String a = tenant("a");
        String path = "/v1/models/cnn-28/" + route;
        HttpResponse<String> answered = json(path, a, image());
        assertEquals(200, answered.statusCode());
        // a prediction's answer is short; an explanation's (an occlusion map and its PNG) is longer than the compression threshold
        assertEquals(route.equals("explain"), answered.body().length() >= 1500, answered.body().length() + " bytes");
        String body = image();
        double before = requests("[0-9]+");
        for (int attempt = 1; requests("[0-9]+") == before; attempt++) {
            // the reset can overtake the request on a loaded machine: then the server never read it, nothing is
            // counted, and the client tries again (three times at most)
            assertTrue(attempt <= 3, "the server saw none of three requests closed with a reset");
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                // closed with a reset as soon as the request is out: the answer, metered first, finds the connection gone
                s.setSoLinger(true, 0);
                s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + a
                        + "\r\nAccept-Encoding: gzip\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (requests("[0-9]+") == before && System.nanoTime() < deadline) Thread.sleep(50);
        }
        assertEquals(1, requests("499"), "the request whose client left: " + requestsByStatus());
        assertEquals(1, requests("200"), "only the answered one");
    }

    @Test
    void aLongAnswerIsGzippedForAClientThatAcceptsIt() throws Exception {
        start();
        String a = tenant("a");
        HttpResponse<String> plain = json("/v1/models/cnn-28/explain", a, image());
        assertEquals(200, plain.statusCode());
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty(), "no Accept-Encoding, no compression");
        HttpRequest asked = HttpRequest.newBuilder(URI.create(base + "/v1/models/cnn-28/explain")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + a).header("Content-Type", "application/json")
                .header("Accept-Encoding", "br;q=1.0, gzip;q=0.8").POST(HttpRequest.BodyPublishers.ofString(image())).build();
        HttpResponse<byte[]> gzipped = http.send(asked, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, gzipped.statusCode());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
        assertEquals(Long.toString(gzipped.body().length), gzipped.headers().firstValue("Content-Length").orElse(""));
        byte[] unzipped = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body())).readAllBytes();
        assertTrue(unzipped.length > gzipped.body().length, unzipped.length + " bytes sent as " + gzipped.body().length);
        JsonNode answer = Json.MAPPER.readTree(unzipped);
        assertEquals("occlusion", answer.at("/method").asText(), answer.toString());
        assertTrue(answer.at("/map").size() > 0 && !answer.at("/png").asText().isEmpty(), answer.toString());
        HttpRequest refused = HttpRequest.newBuilder(asked, (n, v) -> !n.equalsIgnoreCase("Accept-Encoding"))
                .header("Accept-Encoding", "gzip;q=0").build();
        assertTrue(http.send(refused, HttpResponse.BodyHandlers.ofString()).headers().firstValue("Content-Encoding").isEmpty(),
                "gzip;q=0 refuses gzip");
    }

    /** {@code moxing_requests_total} of cnn-28 with {@code status}. */
    /** The server's Prometheus text, read with the admin token. */
    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer "
                + adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Every model's requests by status, as the metrics count them: what a failed assertion shows. */
    private String requestsByStatus() throws Exception {
        return metrics().lines().filter(l -> l.startsWith("moxing_requests_total{")).toList().toString();
    }

    /** cnn-28's requests counted with a status that {@code status} (a regular expression) matches. */
    private double requests(String status) throws Exception {
        String metrics = metrics();
        Matcher m = Pattern.compile("(?m)^moxing_requests_total\\{model=\"cnn-28\",status=\"" + status + "\"} ([0-9.E+]+)$")
                .matcher(metrics);
        double total = 0;
        while (m.find()) total += Double.parseDouble(m.group(1));
        return total;
    }

    /** One request of {@link #theDirectFrontAnswersEveryCaseAsJavalinsRoutesDo}, sent to {@code path} with or without a final slash. */
    private record Case(String what, String method, String path, String query, String auth, String type, byte[] body,
                        String... headers) {
        Case(String what, String path, String auth, String type, String body, String... headers) {
            this(what, "POST", path, "", auth, type, body.getBytes(StandardCharsets.UTF_8), headers);
        }
    }

    /** A request's answer as a client acts on it: status, the headers it reads, the body with its ids masked, the count it made. */
    private record Seen(int status, java.util.Map<String, String> headers, java.util.Set<String> headerNames, String body,
                        java.util.Map<String, Double> counted) {}

    /**
     * The direct front takes the plain paths of the hot routes; with a final slash the same request goes to Javalin's
     * route. Both must answer every case alike — status, the headers a client acts on, the body, and its count in
     * moxing_requests_total — valid requests and refusals before and after the body was read.
     */
    @Test
    void theDirectFrontAnswersEveryCaseAsJavalinsRoutesDo() throws Exception {
        String a = startWithAPrivateModelOfB();
        String header = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":3136}}],\"parameters\":{\"binary_data_output\":true}}";
        float[] pixels = new float[784];
        Arrays.fill(pixels, 0.3f);
        byte[] binary = v2Binary(header, pixels);
        String headerLength = Integer.toString(header.getBytes(StandardCharsets.UTF_8).length);
        String v2Rows = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":"
                + Json.line(pixels) + "}]}";
        List<Case> cases = List.of(
                new Case("rows", "/v1/models/cnn-28/predict", a, "application/json", rows(2, 0.1f)),
                new Case("a base64 image", "/v1/models/cnn-28/predict", a, "application/json", image()),
                new Case("no key", "/v1/models/cnn-28/predict", null, "application/json", image()),
                new Case("an unknown key", "/v1/models/cnn-28/predict", "mx-nothing", "application/json", image()),
                new Case("an unknown model", "/v1/models/nothing-here/predict", a, "application/json", image()),
                new Case("another tenant's model", "/v1/models/private-b/predict", a, "application/json", image()),
                new Case("malformed JSON", "/v1/models/cnn-28/predict", a, "application/json", "{\"inputs\": [[1,"),
                new Case("a wrong shape", "/v1/models/cnn-28/predict", a, "application/json", "{\"inputs\": [[1, 2]]}"),
                new Case("a compressed body", "/v1/models/cnn-28/predict", a, "application/json", image(), "Content-Encoding", "gzip"),
                new Case("over the body limit", "/v1/models/cnn-28/predict", a, "application/json", "[" + " ".repeat(1 << 21) + "]"),
                new Case("explain, malformed", "/v1/models/cnn-28/explain", a, "application/json", "{"),
                new Case("an unknown alias", "POST", "/v1/models/cnn-28/predict", "?alias=canary", a, "application/json",
                        image().getBytes(StandardCharsets.UTF_8)),
                // the query as Javalin decodes it: escapes, '+' as a space, the first of two values
                new Case("an escaped alias", "POST", "/v1/models/cnn-28/predict", "?x=1&alias=prod%75ction&alias=no", a,
                        "application/json", image().getBytes(StandardCharsets.UTF_8)),
                new Case("an alias with a plus", "POST", "/v1/models/cnn-28/predict", "?alias=a+b", a, "application/json",
                        image().getBytes(StandardCharsets.UTF_8)),
                new Case("v2 binary", "POST", "/v2/models/cnn-28/infer", "", a, "application/octet-stream", binary,
                        "Inference-Header-Content-Length", headerLength),
                new Case("v2 binary, a wrong header length", "POST", "/v2/models/cnn-28/infer", "", a, "application/octet-stream",
                        binary, "Inference-Header-Content-Length", "100"),
                new Case("v2 JSON of version 1", "/v2/models/cnn-28/versions/1/infer", a, "application/json", v2Rows),
                new Case("v2 of a version not deployed", "/v2/models/cnn-28/versions/9/infer", a, "application/json", v2Rows),
                new Case("v2 of another tenant's model", "/v2/models/private-b/infer", a, "application/json", v2Rows),
                // Javalin routes by the method this header names (a POST route asked for GET is a 405): it is Javalin's
                new Case("a method overridden by header", "/v2/models/cnn-28/infer", a, "application/json", v2Rows,
                        "X-HTTP-Method-Override", "GET"),
                new Case("the liveness probe", "GET", "/v2/health/live", "", null, null, (byte[]) null),
                new Case("the readiness probe", "GET", "/v2/health/ready", "", null, null, (byte[]) null));
        java.util.Map<String, Seen> seen = new java.util.HashMap<>();
        for (Case c : cases) {
            Seen direct = see(c, "");
            assertEquals(see(c, "/"), direct, c.what());
            seen.put(c.what(), direct);
        }
        // what both answered is right, where the pipeline they share reads the request itself
        assertEquals(200, seen.get("an escaped alias").status());
        assertTrue(seen.get("an alias with a plus").body().contains("no alias 'a b'"), seen.get("an alias with a plus").body());
        assertEquals(200, seen.get("v2 binary").status());
    }

    private Seen see(Case c, String slash) throws Exception {
        java.util.Map<String, Double> before = counts();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + c.path() + slash + c.query()))
                .timeout(Duration.ofSeconds(30))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.type() != null) b.header("Content-Type", c.type());
        if (c.auth() != null) b.header("Authorization", "Bearer " + c.auth());
        for (int i = 0; i < c.headers().length; i += 2) b.header(c.headers()[i], c.headers()[i + 1]);
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        java.util.Map<String, String> read = new java.util.TreeMap<>();
        for (String name : List.of("Content-Type", "Content-Encoding", "Retry-After", "WWW-Authenticate", "Allow",
                "Inference-Header-Content-Length", "Idempotent-Replayed", "Connection")) {
            r.headers().firstValue(name).ifPresent(v -> read.put(name, v));
        }
        java.util.Set<String> names = new java.util.TreeSet<>(r.headers().map().keySet());
        names.remove("date");
        String length = r.headers().firstValue("Inference-Header-Content-Length").orElse(null);
        // a binary answer's tensor differs by nothing but is not text; its JSON part is compared
        byte[] text = length == null ? r.body() : Arrays.copyOf(r.body(), Integer.parseInt(length));
        String body = new String(text, StandardCharsets.UTF_8)
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID")
                .replace(c.path() + slash, "PATH");
        // counted after the answer is written: wait for the count to move
        java.util.Map<String, Double> counted = java.util.Map.of();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); counted.isEmpty() && System.nanoTime() < deadline; ) {
            counted = difference(before, counts());
            if (counted.isEmpty()) Thread.sleep(20);
        }
        return new Seen(r.statusCode(), read, names, body, counted);
    }

    /** moxing_requests_total's series and values, read in the server's process (reading them over HTTP would count). */
    private java.util.Map<String, Double> counts() {
        java.util.Map<String, Double> counts = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^(moxing_requests_total\\{[^}]*}) ([0-9.E+]+)$").matcher(server.metrics().scrape());
        while (m.find()) counts.put(m.group(1), Double.parseDouble(m.group(2)));
        return counts;
    }

    private static java.util.Map<String, Double> difference(java.util.Map<String, Double> before, java.util.Map<String, Double> after) {
        java.util.Map<String, Double> moved = new java.util.TreeMap<>();
        after.forEach((series, n) -> {
            double d = n - before.getOrDefault(series, 0.0);
            if (d != 0) moved.put(series, d);
        });
        return moved;
    }

    @Test
    void anUnansweredRequestDoesNotKeepItsQuota() throws Exception {
        start();
        String a = tenant("a");
        assertError(json("/v1/models/cnn-28/predict", a, "{\"inputs\": [[1, 2]]}"), 400, "wrong_shape");
        assertEquals(0, charged("a"));
        assertNotEquals(0, json("/v1/models/cnn-28/predict", a, image()).statusCode());
        JsonNode usage = Json.MAPPER.readTree(send("GET", "/v1/usage?by=model", a, null, null).body());
        assertFalse(usage.toString().contains("private-b"));
    }
}
