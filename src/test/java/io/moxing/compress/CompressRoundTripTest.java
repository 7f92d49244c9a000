package io.moxing.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.data.DatasetStore;
import io.moxing.data.SplitData;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.model.ModelSpec;
import io.moxing.predict.Predictor;
import io.moxing.registry.CompressionKind;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.Provenance;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each method through the registry and back: the compressed version is registered with provenance naming the
 * original and the method, loads, predicts and is served over HTTP by a real server. The gate is not the subject
 * here (--max-drop 100); {@code CompressGateTest} is about it.
 */
class CompressRoundTripTest {
    private static final AccuracyGate ANY = new AccuracyGate(100);
    private static final String STUDENT = """
            {"name": "cnn-28-small", "input": [1, 28, 28],
             "layers": [{"type": "conv2d", "filters": 8, "kernel": 3, "activation": "relu"}, {"type": "maxpool", "size": 2},
                        {"type": "flatten"}, {"type": "dense", "units": 32, "activation": "relu"},
                        {"type": "dense", "units": 10, "activation": "softmax"}],
             "optimizer": {"type": "adam", "lr": 0.002}, "training": {"epochs": 1, "batch_size": 32, "seed": 7}}
            """;
    @TempDir Path tmp;

    @Test
    void prunedVersionIsSmallerRegisteredAndServed() throws Exception {
        String original = CompressFixture.original();
        CompressionResult r = CompressFixture.compressor().compress(original, new CompressionMethod.Prune(0.5, 1), ANY);
        assertTrue(r.registered(), r.reason());
        assertTrue(r.parametersAfter() < r.parametersBefore() / 2, r.parametersAfter() + " of " + r.parametersBefore());
        assertTrue(r.sizeRatio() > 1.9, "size ratio " + r.sizeRatio());
        ModelSpec spec = ModelSpec.read(registry().resolve(r.version()).resolve("spec.json"));
        assertEquals(16, spec.layers().get(0).fields().get("filters").asInt());
        assertEquals(64, spec.layers().get(3).fields().get("units").asInt());
        assertEquals(10, spec.layers().get(4).fields().get("units").asInt(), "the output layer keeps every class");
        Provenance p = registry().provenance(r.version());
        assertEquals(original, p.compressed().source());
        assertEquals(CompressionKind.PRUNE, p.compressed().method());
        assertEquals(0.5, p.compressed().ratio());
        assertLoadsPredictsAndServes(r.version());
    }

    @Test
    void distilledStudentIsRegisteredAndServed() throws Exception {
        ModelSpec student = ModelSpec.parse(STUDENT, "student.json");
        CompressionResult r = CompressFixture.compressor().compress(CompressFixture.original(),
                new CompressionMethod.Distill(student, 4, 0.7, 1), ANY);
        assertTrue(r.registered(), r.reason());
        assertTrue(r.accuracyAfter() > 0.5, "a student of one epoch still learns: " + r.accuracyAfter());
        assertTrue(r.sizeRatio() > 10, "size ratio " + r.sizeRatio());
        Provenance p = registry().provenance(r.version());
        assertEquals(CompressionKind.DISTILL, p.compressed().method());
        assertEquals("cnn-28-small", p.compressed().student());
        assertEquals(4.0, p.compressed().temperature());
        assertLoadsPredictsAndServes(r.version());
        // 'auto' is decided by a training on a split kept back; distillation has neither, so it is refused up front
        ModelSpec undecided = student.withTestTimeAugmentation(io.moxing.model.TestTimeAugmentation.AUTO);
        io.moxing.core.UserException refused = org.junit.jupiter.api.Assertions.assertThrows(io.moxing.core.UserException.class,
                () -> CompressFixture.compressor().compress(CompressFixture.original(),
                        new CompressionMethod.Distill(undecided, 4, 0.7, 1), ANY));
        assertTrue(refused.getMessage().contains("give it none or horizontal_flip"), refused.getMessage());
    }

    @Test
    void onnxInt8VersionIsSmallerRegisteredAndServed() throws Exception {
        String original = CompressFixture.original();
        CompressionResult r = CompressFixture.compressor().compress(original, new CompressionMethod.OnnxInt8(), ANY);
        assertTrue(r.registered(), r.reason());
        assertTrue(r.sizeRatio() > 3.5, "size ratio " + r.sizeRatio());
        assertTrue(Math.abs(r.accuracyAfter() - r.accuracyBefore()) < 0.01,
                "8 bits cost at most a point here: " + r.accuracyBefore() + " -> " + r.accuracyAfter());
        ModelSpec spec = ModelSpec.read(registry().resolve(r.version()).resolve("spec.json"));
        assertEquals(1, spec.layers().size());
        assertEquals("imported", spec.layers().get(0).type());
        long onnxBytes = java.nio.file.Files.size(registry().resolve(r.version()).resolve(io.moxing.registry.ModelVersion.ONNX_INT8_FILE));
        assertTrue(onnxBytes > r.parametersBefore() && onnxBytes < r.parametersBefore() * 1.1 + 65_536,
                "every weight in one byte, plus the graph: " + onnxBytes + " bytes for " + r.parametersBefore() + " weights");
        Provenance p = registry().provenance(r.version());
        assertEquals(original, p.compressed().source());
        assertEquals(CompressionKind.ONNX_INT8, p.compressed().method());
        assertLoadsPredictsAndServes(r.version());
    }

    @Test
    void bf16RegistersNothingAndSaysWhy() {
        String original = CompressFixture.original(); // trained and registered first, if this test runs first
        var before = registry().list().size();
        CompressionResult r = CompressFixture.compressor().compress(original, new CompressionMethod.Bf16(), ANY);
        assertFalse(r.registered());
        assertNull(r.version());
        assertTrue(r.reason().contains("bf16"), r.reason());
        assertEquals(before, registry().list().size());
    }

    private static ModelRegistry registry() {
        return new ModelRegistry(CompressFixture.home().models());
    }

    /** Loads the version, predicts a test image, and asks a real server on port 0 for the same image's class. */
    private void assertLoadsPredictsAndServes(String ref) throws Exception {
        SplitData test = new DatasetStore(CompressFixture.home().datasets()).resolve(io.moxing.SharedHome.SMALL_FASHION).load("test");
        float[] image = Arrays.copyOf(test.features(), test.sampleSize());
        try (Predictor predictor = Predictor.load(registry().resolve(ref))) {
            float[] p = predictor.predict(image, 1)[0];
            assertEquals(10, p.length);
            assertEquals(1.0, sum(p), 1e-4);
        }
        servedBy(tmp, ref);
    }

    /** Deploys {@code ref} on a real server on port 0 and POSTs one test image (a PNG) to it. */
    void servedBy(Path tmp, String ref) throws Exception {
        String name = "c" + ref.replace(':', '-');
        SqlDeployments deployments = new SqlDeployments(Database.open(null, tmp.resolve(name + ".db")));
        deployments.put(DeploymentRequests.target(ref, name, "production", 100, 16, 2, 1, registry()));
        try (ModelServer server = new ModelServer(CompressFixture.home(), deployments,
                new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 50)).start()) {
            var png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new DatasetStore(CompressFixture.home().datasets())
                    .resolve(io.moxing.SharedHome.SMALL_FASHION).image("test", 0).image(), "png", png);
            var body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(png.toByteArray());
            body.writeBytes("\r\n--b0undary--\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/v1/models/" + name + "/predict"))
                    .header("Content-Type", "multipart/form-data; boundary=b0undary")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode json = Json.MAPPER.readTree(answer.body());
            assertEquals(Integer.parseInt(ref.split(":")[1]), json.get("version").asInt());
            assertNotNull(json.at("/predictions/0/label").textValue(), answer.body());
        }
    }

    private static double sum(float[] p) {
        double s = 0;
        for (float v : p) s += v;
        return s;
    }
}
