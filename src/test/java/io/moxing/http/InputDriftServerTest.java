package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.data.DatasetStore;
import io.moxing.data.TensorFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The population-stability index of served inputs, read from GET /metrics as an operator's Prometheus
 * reads it: Fashion-MNIST test images look like the training data; the same images inverted do not.
 */
class InputDriftServerTest {
    private static final int ROWS = 1000;
    private static final int PER_REQUEST = 100;
    @TempDir Path tmp;

    @Test
    void imagesLikeTheTrainingDataAreStable() throws Exception {
        double psi = psiAfterSending(pixel -> pixel);
        assertTrue(psi < 0.1, "PSI " + psi);
    }

    @Test
    void invertedImagesHaveShifted() throws Exception {
        double psi = psiAfterSending(pixel -> 255 - pixel);
        assertTrue(psi > 0.25, "PSI " + psi);
    }

    @Test
    void brightenedImagesHaveShifted() throws Exception {
        double psi = psiAfterSending(pixel -> Math.min(255, pixel + 60));
        assertTrue(psi > 0.25, "PSI " + psi);
    }

    /** Sends the first {@value #ROWS} test images, each pixel changed by {@code change}, and reads the index. */
    private double psiAfterSending(IntUnaryOperator change) throws Exception {
        var test = TensorFile.read(new DatasetStore(SharedHome.home().datasets()).resolveOrImportKnown("fashion-mnist")
                .directory().resolve("test.x"));
        float[] image = new float[test.sampleSize()];
        try (CnnServer server = new CnnServer(tmp, io.moxing.predict.InputDecoder.DEFAULT_MAX_IMAGE_PIXELS)) {
            for (int first = 0; first < ROWS; first += PER_REQUEST) {
                StringBuilder body = new StringBuilder("{\"inputs\": [");
                for (int i = first; i < first + PER_REQUEST; i++) {
                    test.sample(i, image);
                    body.append(i == first ? "[" : ",[");
                    for (int p = 0; p < image.length; p++) {
                        body.append(p == 0 ? "" : ",").append(change.applyAsInt((int) image[p]));
                    }
                    body.append(']');
                }
                var answer = server.postJson("/v1/models/cnn-28/predict", body.append("]}").toString());
                assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
            }
            String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
            String labels = "{model=\"cnn-28\",version=\"" + SharedHome.cnn().version() + "\"";
            double counted = metrics.lines().filter(l -> l.startsWith("moxing_input_bin_rows_total{bin=")
                    && l.contains("model=\"cnn-28\"")).mapToDouble(InputDriftServerTest::value).sum();
            assertEquals(ROWS, counted, 0.0, "every row is counted in one bin: " + metrics);
            assertTrue(metrics.contains("# HELP moxing_input_psi") && metrics.contains("> 0.25 shifted"), metrics);
            return metrics.lines().filter(l -> l.startsWith("moxing_input_psi" + labels)).mapToDouble(InputDriftServerTest::value)
                    .findFirst().orElseThrow(() -> new AssertionError("no moxing_input_psi" + labels + "}: " + metrics));
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
