package io.moxing.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The int8 weight format's arithmetic: one symmetric scale per output channel. */
class CompressInt8WeightsTest {

    @Test
    void eachOutputChannelGetsItsOwnScale() {
        // channel 0 spans +-1, channel 1 +-100: one scale for both would round channel 0 to 0 or +-1
        Int8Weights.Quantized q = Int8Weights.quantize(new float[] {1, -0.25f, 100, -25}, 2);
        assertEquals(1 / 127f, q.scales()[0], 1e-9);
        assertEquals(100 / 127f, q.scales()[1], 1e-6);
        assertArrayEquals(new byte[] {127, -32, 127, -32}, q.values());
    }

    @Test
    void anAllZeroChannelStaysZero() {
        Int8Weights.Quantized q = Int8Weights.quantize(new float[] {0, 0, 3, 0}, 2);
        assertEquals(1f, q.scales()[0]);
        assertArrayEquals(new byte[] {0, 0, 127, 0}, q.values());
    }
}
