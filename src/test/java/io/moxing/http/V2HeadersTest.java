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
import java.util.Arrays;
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
        return decode(body, header, card, "t1", seen);
    }

    private static V2Request decode(byte[] body, String header, ModelVersion card, String tenant, V2Headers seen) {
        return V2Codec.decode(body, Integer.toString(header.getBytes(StandardCharsets.UTF_8).length), card, tenant, seen);
    }

    @Test
    void aHeaderReadOnceIsFoundByItsBytesAndGivesTheSameRequest() {
        V2Headers seen = new V2Headers();
        ModelVersion card = card("m");
        String h = header(1, "");
        byte[] first = body(h, 1, 2, 3, 4);
        assertNull(seen.find("t1", card, first, h.length()));
        V2Request a = decode(first, h, card, seen);
        assertNotNull(seen.find("t1", card, first, h.length()));
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
        assertNull(seen.find("t1", other, body(one), one.length()));
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
        assertNull(seen.find("t1", card, body(named), named.length()));
        String inline = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
        V2Request json = decode(body(inline), inline, card, seen);
        assertArrayEquals(new float[] {1, 2, 3, 4}, json.samples().get(0));
        assertNull(seen.find("t1", card, body(inline), inline.length()));
        // a header past the size kept is read every time
        String padded = header(1, "\"pad\":\"" + "x".repeat(V2Headers.MAX_BYTES) + "\",");
        decode(body(padded, 1, 2, 3, 4), padded, card, seen);
        assertNull(seen.find("t1", card, body(padded), padded.length()));
    }

    @Test
    void anotherTenantsHeaderIsNotFound() {
        V2Headers seen = new V2Headers();
        ModelVersion card = card("m");
        String h = header(1, "");
        decode(body(h, 1, 2, 3, 4), h, card, "t1", seen);
        assertNotNull(seen.find("t1", card, body(h), h.length()));
        assertNull(seen.find("t2", card, body(h), h.length()));
    }

    @Test
    void aKeptHeaderKeepsItsOutputFormAndItsDatatype() {
        V2Headers seen = new V2Headers();
        ModelVersion card = card("m");
        String json = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"INT8\",\"parameters\":"
                + "{\"binary_data_size\":4}}],\"outputs\":[{\"name\":\"output\",\"parameters\":{\"binary_data\":false}}],"
                + "\"parameters\":{\"binary_data_output\":true}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] first = Arrays.copyOf(header, header.length + 4);
        first[header.length] = -3;
        first[header.length + 3] = 127;
        for (int attempt = 0; attempt < 2; attempt++) {
            V2Request request = decode(first, json, card, seen);
            assertEquals(false, request.binaryOutput()); // the output's own binary_data wins over the request's
            assertArrayEquals(new float[] {-3, 0, 0, 127}, request.samples().get(0));
        }
        assertNotNull(seen.find("t1", card, first, header.length));
        // the same INT8 header with three of its four bytes
        assertEquals("binary_data_beyond_body", assertThrows(ApiError.class,
                () -> decode(Arrays.copyOf(header, header.length + 3), json, card, seen)).code());
    }

    @Test
    void manyHeadersSharingSlotsAreEachReadAsTheirOwn() {
        V2Headers seen = new V2Headers();
        ModelVersion card = card("m");
        // 4 x 64 headers for 64 slots: most share a slot with others, and each is read right whether found or not
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4 * V2Headers.SLOTS; i++) {
                int rows = 1 + i % 3;
                String h = header(rows, "\"parameters_" + i + "\":{},");
                float[] values = new float[rows * 4];
                for (int v = 0; v < values.length; v++) values[v] = i + v;
                V2Request request = decode(body(h, values), h, card, seen);
                assertEquals(rows, request.samples().size());
                assertArrayEquals(Arrays.copyOfRange(values, 0, 4), request.samples().get(0));
            }
        }
    }
}
