package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.Json;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.feedback.FeedbackExport;
import io.moxing.feedback.FeedbackSeal;
import io.moxing.feedback.LoggedContent;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.store.SqlFeedback;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The closed loop's first half over real HTTP, on SQLite and PostgreSQL: a deployment that logs its
 * predictions, feedback that only the predicting tenant may give, nothing of it readable in the raw
 * database, expired entries purged, and corrections exported as data without ever entering the test split.
 */
class FeedbackLoopTest {
    @TempDir static Path tmp;
    private static final Actor ADMIN = new Actor("test", "junit");
    private static final String MARKER = "marker-5be1c0 wrong again";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ModelServer server;
    private Database db;
    private Path sqliteFile;
    private String base;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void feedbackIsOwnedSealedPurgedAndNeverReachesTheTestSplit(String kind) throws Exception {
        db = TestDatabases.fresh(kind, tmp);
        var cnn = SharedHome.cnn();
        ModelRegistry registry = new ModelRegistry(SharedHome.home().models());
        SqlDeployments deployments = new SqlDeployments(db);
        SqlFeedback feedback = new SqlFeedback(db);
        feedback.setLogDays("cnn-28", 30);
        deployments.put(DeploymentRequests.target(cnn.model() + ":" + cnn.version(), "cnn-28", "production", 100, 16, 2, 1, registry));
        BillingAdmin billing = SqlBilling.open(db);
        billing.createPlan(ADMIN, Plan.free("free", 1_000_000, 10_000, 10_000));
        billing.createTenant(ADMIN, "a", null, "free", System.currentTimeMillis() - 1000);
        billing.createTenant(ADMIN, "b", null, "free", System.currentTimeMillis() - 1000);
        String a = billing.issueKey(ADMIN, "a", null, null, null, null, null, System.currentTimeMillis()).plaintext();
        String b = billing.issueKey(ADMIN, "b", null, null, null, null, null, System.currentTimeMillis()).plaintext();
        server = new ModelServer(SharedHome.home(), deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 100)
                .withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS), billing, feedback, null).start();
        base = "http://127.0.0.1:" + server.port();

        Dataset fashion = new DatasetStore(SharedHome.home().datasets()).resolve("fashion-mnist");
        // one image the model's data set holds in its test split, one from its training split
        String testRow = predictionId(send("POST", "/v1/models/cnn-28/predict", a, image(fashion, "test", 3)));
        String trainRow = predictionId(send("POST", "/v1/models/cnn-28/predict", a, image(fashion, "train", 7)));
        String bRow = predictionId(send("POST", "/v1/models/cnn-28/predict", b, image(fashion, "train", 8)));

        // only the tenant that predicted may speak of a prediction; another's looks exactly like none at all
        HttpResponse<String> foreign = send("POST", "/v1/feedback", b, body(testRow, "Shirt", null, null));
        HttpResponse<String> missing = send("POST", "/v1/feedback", b, body("0f0f0f0f-0000-4000-8000-000000000000.0", "Shirt",
                null, null));
        assertEquals(404, foreign.statusCode(), foreign.body());
        assertEquals(missing.body().replace("0f0f0f0f-0000-4000-8000-000000000000.0", testRow), foreign.body(),
                "another tenant's prediction answers byte for byte as one that never existed");
        assertEquals(404, send("POST", "/v1/feedback", a, body(testRow.replaceAll("\\.0$", ".1"), "Shirt", null, null))
                .statusCode(), "a row past the request's end is unknown");
        assertEquals(400, send("POST", "/v1/feedback", a, body(trainRow, "Spaceship", null, null)).statusCode());
        assertEquals(400, send("POST", "/v1/feedback", a, body(trainRow, null, 6, null)).statusCode());
        assertEquals(400, send("POST", "/v1/feedback", a, "{\"prediction_id\": \"" + trainRow + "\"}").statusCode());
        assertEquals(401, send("POST", "/v1/feedback", null, body(trainRow, "Shirt", null, null)).statusCode());
        // a key of the same tenant limited to other models may not speak of this one's predictions
        String narrow = billing.issueKey(ADMIN, "a", null, java.util.Set.of("another-model"), null, null, null,
                System.currentTimeMillis()).plaintext();
        server.reconcile();
        assertEquals(404, send("POST", "/v1/feedback", narrow, body(trainRow, "Shirt", null, null)).statusCode());

        String comment = MARKER + ", write to li.lei@example.com or call 13812345678";
        // a label that is no class is refused, and the refusal repeats at most 64 characters of it, shown safely
        HttpResponse<String> notAClass = send("POST", "/v1/feedback", a, body(trainRow, "\u202E" + "x".repeat(5000), null, null));
        assertEquals(400, notAClass.statusCode(), notAClass.body());
        assertTrue(notAClass.body().length() < 1000 && notAClass.body().contains("(5001 characters)")
                && !notAClass.body().contains("\u202E"), notAClass.body());
        HttpResponse<String> given = send("POST", "/v1/feedback", a, body(trainRow, "Shirt", 2, comment));
        assertEquals(201, given.statusCode(), given.body());
        JsonNode item = Json.MAPPER.readTree(given.body());
        assertFalse(item.get("comment").asText().contains("li.lei@example.com"), item.toString());
        assertFalse(item.get("comment").asText().contains("13812345678"), item.toString());
        assertEquals(201, send("POST", "/v1/feedback", a, body(testRow, "Coat", null, null)).statusCode());
        assertEquals(201, send("POST", "/v1/feedback", b, body(bRow, null, 5, "fine")).statusCode());
        JsonNode mine = Json.MAPPER.readTree(send("GET", "/v1/feedback", a, null).body()).get("feedback");
        assertEquals(2, mine.size(), "a tenant lists only its own feedback: " + mine);
        assertEquals(1, Json.MAPPER.readTree(send("GET", "/v1/feedback?limit=1", a, null).body()).get("feedback").size());
        HttpResponse<String> badLimit = send("GET", "/v1/feedback?limit=-1", a, null);
        assertEquals(400, badLimit.statusCode(), badLimit.body());
        assertEquals("invalid_limit", Json.MAPPER.readTree(badLimit.body()).at("/error/code").asText(), badLimit.body());
        assertEquals(404, send("GET", "/v1/feedback/" + item.get("id").asText(), b, null).statusCode());

        // at rest: neither the comment, the label nor the logged outputs appear in the stored bytes
        FeedbackSeal seal = FeedbackSeal.of(SharedHome.home());
        String request = trainRow.substring(0, trainRow.lastIndexOf('.'));
        var logged = feedback.logged(request).orElseThrow();
        LoggedContent.Tensors content = (LoggedContent.Tensors) seal.openLog(logged);
        byte[] plainOutputs = Arrays.copyOfRange(content.encode(), 13 + 4 * content.inputs().length, content.encode().length);
        List<byte[]> stored = rawBytes(kind);
        for (byte[] bytes : stored) {
            assertFalse(contains(bytes, MARKER.getBytes()), "the comment is stored in the clear");
            assertFalse(contains(bytes, "\"label\":\"Shirt\"".getBytes()), "the label is stored in the clear");
            assertFalse(contains(bytes, plainOutputs), "the logged outputs are stored in the clear");
        }

        // the corrections become data: the training-split image joins training, the test-split one never does
        FeedbackExport export = new FeedbackExport(feedback, seal, registry, SharedHome.home().datasets(), deployments);
        FeedbackExport.Exported exported = export.export("cnn-28", "fashion-feedback-" + kind, "fashion-mnist");
        assertEquals(1, exported.dataset().added(), exported.toString());
        assertEquals(1, exported.dataset().inTest(), exported.toString());
        var made = exported.dataset().manifest();
        assertEquals(fashion.manifest().splits().get("test"), made.splits().get("test"));
        assertEquals(fashion.manifest().splits().get("train") + 1, made.splits().get("train"));
        Path madeDir = SharedHome.home().datasets().resolve(made.name()).resolve(made.version());
        assertArrayEquals(Files.readAllBytes(fashion.directory().resolve("test.x")), Files.readAllBytes(madeDir.resolve("test.x")));
        assertTrue(Files.readString(madeDir.resolve(FeedbackExport.PROVENANCE_FILE)).contains(trainRow));

        // an expired entry is purged; the feedback stays, and its prediction can no longer become data
        db.transaction(c -> c.createStatement().executeUpdate("UPDATE prediction_log SET expires_at = 1 WHERE request_id = '"
                + request + "'"));
        assertEquals(1, server.purgeExpiredLogs());
        assertTrue(feedback.logged(request).isEmpty());
        assertEquals(0, server.purgeExpiredLogs());
    }

    /** Every stored byte that could hold the loop's records: the SQLite files, or PostgreSQL's sealed columns. */
    private List<byte[]> rawBytes(String kind) throws Exception {
        List<byte[]> out = new ArrayList<>();
        if (kind.equals("sqlite")) {
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("moxing-")).toList()) {
                    out.add(Files.readAllBytes(f));
                }
            }
        }
        db.transaction(c -> {
            for (String table : List.of("prediction_log", "feedback")) {
                try (var s = c.createStatement(); var r = s.executeQuery("SELECT record FROM " + table)) {
                    while (r.next()) out.add(r.getBytes(1));
                }
            }
            return null;
        });
        assertTrue(out.size() >= 5, "records found: " + out.size());
        return out;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) if (haystack[i + k] != needle[k]) continue outer;
            return true;
        }
        return false;
    }

    private static String body(String predictionId, String label, Integer rating, String comment) {
        var node = Json.MAPPER.createObjectNode().put("prediction_id", predictionId);
        if (label != null) node.put("label", label);
        if (rating != null) node.put("rating", rating);
        if (comment != null) node.put("comment", comment);
        return node.toString();
    }

    private static String image(Dataset data, String split, int index) throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(data.image(split, index).image(), "png", png);
        return "{\"image\": \"" + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"}";
    }

    private static String predictionId(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body()).at("/predictions/0/id").asText();
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
