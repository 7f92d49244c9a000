package io.moxing.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.data.DatasetStore;
import io.moxing.data.SplitData;
import io.moxing.predict.Predictor;
import io.moxing.registry.CompressionKind;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weight-only int8: at least 3.5x smaller on disk, the same predictions within a small tolerance, served as fp32 is. */
class CompressInt8Test {
    @TempDir Path tmp;

    @Test
    void int8IsAtLeast3_5TimesSmallerAndPredictsAsFp32Does() throws Exception {
        String original = CompressFixture.original();
        CompressionResult r = CompressFixture.int8();
        assertTrue(r.registered(), r.reason());
        assertTrue(r.sizeRatio() >= 3.5, "size ratio " + r.sizeRatio());
        assertEquals(r.parametersBefore(), r.parametersAfter(), "same network, smaller file");
        ModelRegistry registry = new ModelRegistry(CompressFixture.home().models());
        Path fp32 = registry.resolve(original);
        Path int8 = registry.resolve(r.version());
        assertTrue(Files.isRegularFile(int8.resolve(ModelVersion.INT8_PARAMETERS_FILE)));
        assertTrue(Files.notExists(int8.resolve(ModelVersion.PARAMETERS_FILE)));
        assertEquals(CompressionKind.INT8, registry.provenance(r.version()).compressed().method());

        SplitData test = new DatasetStore(CompressFixture.home().datasets()).resolve(io.moxing.SharedHome.SMALL_FASHION)
                .load("test").head(500);
        float[][] a;
        float[][] b;
        try (Predictor p = Predictor.load(fp32); Predictor q = Predictor.load(int8)) {
            a = p.predict(test.features(), test.count());
            b = q.predict(test.features(), test.count());
        }
        double worst = 0;
        int sameClass = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) worst = Math.max(worst, Math.abs(a[i][c] - b[i][c]));
            sameClass += argMax(a[i]) == argMax(b[i]) ? 1 : 0;
        }
        assertTrue(worst < 0.05, "largest probability difference " + worst);
        assertTrue(sameClass >= 495, sameClass + " of 500 images keep their class");
        new CompressRoundTripTest().servedBy(tmp, r.version());
    }

    @Test
    void benchInferComparesVersionsInAlternatingRounds() throws Exception {
        String original = CompressFixture.original();
        CompressionResult r = CompressFixture.int8();
        CompressFixture.Cli cli = CompressFixture.cli("bench", "infer", original, r.version(), "--rounds", "1", "--json");
        assertEquals(0, cli.exit(), String.join("\n", cli.lines()));
        JsonNode result = cli.lastJson();
        assertEquals(2, result.get("versions").size());
        assertEquals(1, result.at("/versions/1/throughput_64_per_round").size());
        assertTrue(result.at("/versions/0/weights_bytes").asLong() > 3.5 * result.at("/versions/1/weights_bytes").asLong());
        assertTrue(result.get("speedup_64").asDouble() > 0);
        assertTrue(result.at("/versions/1/p99_ms").asDouble() >= result.at("/versions/1/p50_ms").asDouble());
    }

    private static int argMax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
