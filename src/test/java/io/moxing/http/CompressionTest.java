package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {
    @Test
    void gzipIsAcceptedAsAccept_EncodingSaysWithItsOwnEntryDeciding() {
        assertTrue(Compression.acceptsGzip("gzip"));
        assertTrue(Compression.acceptsGzip("br;q=1.0, GZIP;q=0.8"));
        assertTrue(Compression.acceptsGzip("deflate, *"));
        assertTrue(Compression.acceptsGzip("*;q=0, gzip"));
        assertFalse(Compression.acceptsGzip(null));
        assertFalse(Compression.acceptsGzip("identity"));
        assertFalse(Compression.acceptsGzip("gzip;q=0"));
        assertFalse(Compression.acceptsGzip("gzip; q=0.0, *"));
        assertFalse(Compression.acceptsGzip("gzip;q=x"));
        assertFalse(Compression.acceptsGzip("*;q=0"));
    }

    @Test
    void compressesJsonAndTextButNotBinaryTensors() {
        assertTrue(Compression.worthCompressing("application/json"));
        assertTrue(Compression.worthCompressing("Application/JSON; charset=utf-8"));
        assertFalse(Compression.worthCompressing("application/octet-stream"));
        assertFalse(Compression.worthCompressing(null));
    }

    @Test
    void gzipRoundTrips() throws Exception {
        byte[] text = "{\"predictions\": []}".repeat(200).getBytes(StandardCharsets.UTF_8);
        byte[] zipped = Compression.gzip(text);
        assertTrue(zipped.length < text.length / 10, zipped.length + " bytes");
        assertArrayEquals(text, new GZIPInputStream(new ByteArrayInputStream(zipped)).readAllBytes());
    }
}
