package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moxing.core.Task;
import io.moxing.registry.ModelVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A v2 binary header read once is not read again, and what is kept never lets a request skip a check its own
 * bytes would fail: its tensor's length, its values, a header one byte different, another model.
 */
class V2HeadersTest {
    private static ModelVersion card(String name) {
        return new ModelVersion(1, name, 1, "2026-01-01T00:00:00Z", Task.CLASSIFICATION, List.of(4), List.of("a", "b"),
                null, null, "table", 10, "sha", "run", Map.of());
    }

    private static String header(int rows, String extra) {
        return "{" + extra + "\"inputs\":[{\"name\":\"input\",\"shape\":[" + rows + ",4],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":" + rows * 16 + "}}],\"parameters\":{\"binary_data_output\":true}}";
    }

    /** The header, then {@code values} as little-endian floats. */
    private static byte[] body(String header, float... values) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(json.length + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.put(json);
        for (float v : values) body.putFloat(v);
        return body.array();
    }

    private static V2Request decode(byte[] body, String header, ModelVersion card, V2Headers seen) {
        return V2Codec.decode(body, Integer.toString(header.getBytes(StandardCharsets.UTF_8).length), card, seen);
    }

    @Test
    void aHeaderReadOnceIsFoundByItsBytesAndGivesTheSameRequest() {
        V2Headers seen = new V2Headers();
        ModelVersion card = card("m");
        String h = header(1, "");
        byte[] first = body(h, 1, 2, 3, 4);
        assertNull(seen.find(card, first, h.length()));
        V2Request a = decode(first, h, card, seen);
        assertNotNull(seen.find(card, first, h.length()));
        V2Request b = decode(body(h, 5, 6, 7, 8), h, card, seen);
        assertEquals(true, b.binaryOutput());
        assertNull(b.id());
        assertArrayEquals(new float[] {1, 2, 3, 4}, a.samples().get(0));
        assertArrayEquals(new float[] {5, 6, 7, 8}, b.samples().get(0));
    }

    @Test
    void aKeptHeaderStillHasItsRequestsBytesChecked() {
        V2Headers seen = new V2Headers();
        ModelVersion card = card("m");
        String h = header(2, "");
        decode(body(h, 1, 2, 3, 4, 5, 6, 7, 8), h, card, seen);
        // the same header with half its tensor, with a value float32 cannot hold, with bytes after the tensor
        assertEquals("binary_data_beyond_body", assertThrows(ApiError.class,
                () -> decode(body(h, 1, 2, 3, 4), h, card, seen)).code());
        assertEquals("out_of_range", assertThrows(ApiError.class,
                () -> decode(body(h, 1, 2, 3, 4, 5, 6, Float.NaN, 8), h, card, seen)).code());
        assertEquals("unexpected_bytes", assertThrows(ApiError.class,
                () -> decode(body(h, 1, 2, 3, 4, 5, 6, 7, 8, 9), h, card, seen)).code());
    }

    @Test
    void anotherModelOrAHeaderOneByteDifferentIsReadAgain() {
        V2Headers seen = new V2Headers();
        String one = header(1, "");
        decode(body(one, 1, 2, 3, 4), one, card("m"), seen);
        // the same bytes checked against another model: read again, and refused for its own shape
        ModelVersion other = new ModelVersion(1, "wide", 1, "2026-01-01T00:00:00Z", Task.CLASSIFICATION, List.of(8),
                List.of("a", "b"), null, null, "table", 10, "sha", "run", Map.of());
        assertNull(seen.find(other, body(one), one.length()));
        assertEquals("wrong_shape", assertThrows(ApiError.class, () -> decode(body(one, 1, 2, 3, 4), one, other, seen)).code());
        // the header of two rows has the length of the header of one and differs from it in two bytes
        String two = header(2, "");
        assertEquals(one.length(), two.length());
        V2Request rows = decode(body(two, 1, 2, 3, 4, 5, 6, 7, 8), two, card("m"), seen);
        assertEquals(2, rows.samples().size());
    }

    @Test
    void headersWithAnIdOrWithTheirValuesInTheJsonAreNotKept() {
        V2Headers seen = new V2Headers();
        ModelVersion card = card("m");
        String named = header(1, "\"id\":\"r-1\",");
        assertEquals("r-1", decode(body(named, 1, 2, 3, 4), named, card, seen).id());
        assertNull(seen.find(card, body(named), named.length()));
        String inline = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
        V2Request json = decode(body(inline), inline, card, seen);
        assertArrayEquals(new float[] {1, 2, 3, 4}, json.samples().get(0));
        assertNull(seen.find(card, body(inline), inline.length()));
        // a header past the size kept is read every time
        String padded = header(1, "\"pad\":\"" + "x".repeat(V2Headers.MAX_BYTES) + "\",");
        decode(body(padded, 1, 2, 3, 4), padded, card, seen);
        assertNull(seen.find(card, body(padded), padded.length()));
    }
}
