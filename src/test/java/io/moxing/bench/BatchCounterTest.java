package io.moxing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchCounterTest {
    private static String scrape(double benchSum, double benchCount) {
        return """
                # HELP moxing_batch_size Requests run together in one batch
                # TYPE moxing_batch_size histogram
                moxing_batch_size_bucket{model="bench",le="1.0"} 3
                moxing_batch_size_count{model="bench"} %s
                moxing_batch_size_sum{model="bench"} %s
                moxing_batch_size_count{model="other"} 1000
                moxing_batch_size_sum{model="other"} 1000
                """.formatted(benchCount, benchSum);
    }

    @Test
    void meanBatchSizeOfOneDeploymentBetweenTwoScrapes() {
        BatchCounter before = BatchCounter.parse(scrape(100, 10), "bench");
        BatchCounter after = BatchCounter.parse(scrape(100 + 3200, 10 + 100), "bench");
        assertEquals(32.0, after.meanSince(before), 1e-9);
    }

    @Test
    void noBatchInBetweenIsNotANumber() {
        BatchCounter same = BatchCounter.parse(scrape(5, 5), "bench");
        assertTrue(Double.isNaN(same.meanSince(same)));
    }
}
