package io.moxing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.serve.ServerMetrics;
import org.junit.jupiter.api.Test;

/** Read from the server's own metrics registry, scraped as {@code GET /metrics} answers it. */
class BatchCounterTest {
    @Test
    void meanBatchSizeAndModelCpuOfOneDeploymentBetweenTwoScrapes() {
        ServerMetrics metrics = new ServerMetrics();
        metrics.batch("bench", 1, 1_000);
        metrics.modelCpu("bench", 7_000);
        metrics.batch("other", 50, 1_000);
        metrics.modelCpu("other", 9_000_000);
        BatchCounter before = BatchCounter.parse(metrics.scrape(), "bench");
        for (int i = 0; i < 100; i++) {
            metrics.batch("bench", 32, 1_000_000);
            metrics.modelCpu("bench", 2_500_000);
        }
        metrics.batch("other", 1, 1_000);
        metrics.modelCpu("other", 9_000_000);
        BatchCounter after = BatchCounter.parse(metrics.scrape(), "bench");
        assertEquals(32.0, after.meanSince(before), 1e-9);
        assertEquals(250_000.0, after.modelCpuMicrosSince(before), 1e-3);
    }

    @Test
    void noBatchInBetweenIsNotANumber() {
        ServerMetrics metrics = new ServerMetrics();
        metrics.batch("bench", 5, 1_000);
        BatchCounter same = BatchCounter.parse(metrics.scrape(), "bench");
        assertTrue(Double.isNaN(same.meanSince(same)));
        assertEquals(0.0, same.modelCpuMicrosSince(same));
    }
}
