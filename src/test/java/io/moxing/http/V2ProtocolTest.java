package io.moxing.http;

import static io.moxing.http.CnnServer.assertError;
import static io.moxing.http.CnnServer.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.predict.InputDecoder;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Open Inference Protocol v2 over real HTTP: typed JSON tensors and the binary tensor data extension. */
class V2ProtocolTest {
    private static final String INFER = "/v2/models/cnn-28/infer";
    private static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    @TempDir Path tmp;
    private CnnServer server;

    @BeforeEach
    void start() {
        server = new CnnServer(tmp, InputDecoder.DEFAULT_MAX_IMAGE_PIXELS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A 28x28 image of whole numbers 0..255, different for each {@code seed}. */
    private static int[] pixels(int seed) {
        int[] p = new int[784];
        for (int i = 0; i < p.length; i++) p[i] = (i * 37 + seed * 101) % 256;
        return p;
    }

    private static String data(int[]... rows) {
        List<String> values = new ArrayList<>();
        for (int[] row : rows) for (int v : row) values.add(Integer.toString(v));
        return "[" + String.join(",", values) + "]";
    }

    /** A request of one input tensor and, optionally, more top-level fields ({@code extra} starts with a comma). */
    private static String request(String datatype, String shape, String data, String extra) {
        return "{\"inputs\": [{\"name\": \"input\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", \"data\": "
                + data + "}]" + extra + "}";
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }

    private float[] outputs(HttpResponse<byte[]> r) throws Exception {
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return floats(json(r).at("/outputs/0/data"));
    }

    private static byte[] concat(String jsonHeader, byte[] tensor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(jsonHeader.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(tensor);
        return out.toByteArray();
    }

    private static byte[] fp32(int[]... rows) {
        ByteBuffer out = ByteBuffer.allocate(rows.length * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] row : rows) for (int v : row) out.putFloat(v);
        return out.array();
    }

    /** POSTs a JSON header and binary tensor data, with the header's length as the protocol says. */
    private HttpResponse<byte[]> inferBinary(String jsonHeader, byte[] tensor) throws Exception {
        return server.post(INFER, "application/octet-stream", concat(jsonHeader, tensor), HEADER_LENGTH,
                Integer.toString(jsonHeader.getBytes(StandardCharsets.UTF_8).length));
    }

    private static String binaryInput(String datatype, String shape, long bytes) {
        return "{\"name\": \"input\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", \"parameters\":"
                + " {\"binary_data_size\": " + bytes + "}}";
    }

    @Test
    void serverMetadataNamesTheBinaryExtension() throws Exception {
        JsonNode meta = json(server.get("/v2"));
        assertEquals("moxing", meta.get("name").asText());
        assertFalse(meta.get("version").asText().isBlank());
        assertEquals("[\"binary_tensor_data\"]", meta.get("extensions").toString());
    }

    @Test
    void jsonTensorsAreCheckedAgainstTheirDatatype() throws Exception {
        int[] x = pixels(0);
        HttpResponse<byte[]> fp32 = server.postJson(INFER, request("FP32", "[1, 1, 28, 28]", data(x), ", \"id\": \"req-7\""));
        float[] expected = outputs(fp32);
        assertEquals("req-7", json(fp32).get("id").asText());
        // without an id of its own, the answer's id is the one the request is metered under
        JsonNode unnamed = json(server.postJson(INFER, request("FP32", "[1, 1, 28, 28]", data(x), "")));
        assertEquals(unnamed.get("parameters").get("prediction_id").asText(), unnamed.get("id").asText());
        // the protocol's own example sends UINT32; whole numbers of any integer type reach the model as the same floats
        for (String type : List.of("UINT32", "UINT8", "INT16", "INT64", "FP64", "FP16")) {
            assertArrayEquals(expected, outputs(server.postJson(INFER, request(type, "[1, 1, 28, 28]", data(x), ""))), 1e-5f, type);
        }

        String tooBig = data(x).replaceFirst("^\\[0,37,74,111", "[0,37,74,1e39");
        assertTrue(assertError(server.postJson(INFER, request("FP32", "[1, 1, 28, 28]", tooBig, "")), 400, "out_of_range")
                .startsWith("inputs[0].data[3]: 1.0E39 is beyond float32's range"));
        String message = assertError(server.postJson(INFER, request("INT8", "[1, 1, 28, 28]", data(x), "")), 400, "out_of_range");
        assertTrue(message.startsWith("inputs[0].data[4]: 148 is outside INT8's range -128 to 127"), message);
        int[] half = x.clone();
        String fraction = data(half).replaceFirst("^\\[0,", "[2.5,");
        assertError(server.postJson(INFER, request("UINT8", "[1, 1, 28, 28]", fraction, "")), 400, "not_an_integer");
        String negative = data(half).replaceFirst("^\\[0,", "[-1,");
        assertError(server.postJson(INFER, request("UINT32", "[1, 1, 28, 28]", negative, "")), 400, "out_of_range");
        assertTrue(assertError(server.postJson(INFER, request("BOOL", "[1, 1, 28, 28]", data(x), "")), 400, "invalid_datatype")
                .contains("[FP16, FP32, FP64, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64]"));
        assertError(server.postJson(INFER, request("FP32", "[1, 1, 28, 28]", data(x), ", \"id\": 42")), 400, "invalid_id");
    }

    @Test
    void shapesAreWholeNumbersWithTheBatchFirst() throws Exception {
        String x = data(pixels(0));
        for (String shape : List.of("[\"1\", 1, 28, 28]", "[1.5, 1, 28, 28]", "[-1, 1, 28, 28]", "[1, 1, 28, 2.8e1]", "[]")) {
            assertError(server.postJson(INFER, request("FP32", shape, x, "")), 400, "invalid_shape");
        }
        assertTrue(assertError(server.postJson(INFER, request("FP32", "[\"1\", 1, 28, 28]", x, "")), 400, "invalid_shape")
                .startsWith("inputs[0].shape[0] is \"1\""));
        assertError(server.postJson(INFER, request("FP32", "[1, 28, 28, 1]", x, "")), 400, "wrong_shape");
        assertError(server.postJson(INFER, request("FP32", "[2, 1, 28, 28]", x, "")), 400, "wrong_shape");
        assertError(server.postJson(INFER, request("FP32", "[0, 1, 28, 28]", "[]", "")), 400, "empty_batch");
        assertError(server.postJson(INFER, request("FP32", "[4611686018427387904, 1, 28, 28]", x, "")), 400, "shape_overflow");
        assertError(server.postJson(INFER, binaryBody("[4611686018427387904, 1, 28, 28]", 8)), 400, "shape_overflow");
    }

    private static String binaryBody(String shape, long bytes) {
        return "{\"inputs\": [" + binaryInput("FP32", shape, bytes) + "]}";
    }

    @Test
    void onlyTheModelsOutputMayBeRequested() throws Exception {
        String x = data(pixels(0));
        String message = assertError(server.postJson(INFER, request("FP32", "[1, 1, 28, 28]", x,
                ", \"outputs\": [{\"name\": \"probs\"}]")), 400, "unknown_output");
        assertTrue(message.contains("outputs[0].name 'probs'") && message.contains("[output]"), message);
        assertEquals(200, server.postJson(INFER, request("FP32", "[1, 1, 28, 28]", x,
                ", \"outputs\": [{\"name\": \"output\", \"parameters\": {\"binary_data\": false}}]")).statusCode());
        assertError(server.postJson(INFER, request("FP32", "[1, 1, 28, 28]", x, ", \"parameters\": {\"binary_data_output\": 1}")),
                400, "invalid_parameters");
    }

    @Test
    void binaryTensorsGoInAndComeOutAsRawBytes() throws Exception {
        int[] a = pixels(0);
        int[] b = pixels(1);
        float[] expected = outputs(server.postJson(INFER, request("FP32", "[2, 1, 28, 28]", data(a, b), "")));

        String header = "{\"id\": \"bin\", \"inputs\": [" + binaryInput("FP32", "[2, 1, 28, 28]", 2 * 784 * 4) + "],"
                + " \"parameters\": {\"binary_data_output\": true}}";
        HttpResponse<byte[]> r = inferBinary(header, fp32(a, b));
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
        int jsonLength = Integer.parseInt(r.headers().firstValue(HEADER_LENGTH).orElseThrow());
        JsonNode answer = Json.MAPPER.readTree(r.body(), 0, jsonLength);
        assertEquals("bin", answer.get("id").asText());
        assertEquals("[2,10]", answer.at("/outputs/0/shape").toString());
        assertEquals(80, answer.at("/outputs/0/parameters/binary_data_size").asInt());
        assertTrue(answer.at("/outputs/0/data").isMissingNode(), answer.toString());
        assertEquals(jsonLength + 80, r.body().length);
        float[] got = new float[20];
        ByteBuffer.wrap(r.body(), jsonLength, 80).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertArrayEquals(expected, got, 1e-5f);

        // an output's own binary_data overrides the request's binary_data_output
        String jsonOut = header.replace("\"parameters\": {\"binary_data_output\": true}",
                "\"parameters\": {\"binary_data_output\": true}, \"outputs\": [{\"name\": \"output\", \"parameters\": {\"binary_data\": false}}]");
        HttpResponse<byte[]> asJson = inferBinary(jsonOut, fp32(a, b));
        assertTrue(asJson.headers().firstValue(HEADER_LENGTH).isEmpty());
        assertTrue(asJson.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertArrayEquals(expected, outputs(asJson), 1e-5f);

        byte[] bytes = new byte[784];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) a[i];
        float[] fromBytes = outputs(inferBinary("{\"inputs\": [" + binaryInput("UINT8", "[1, 1, 28, 28]", 784) + "]}", bytes));
        assertArrayEquals(java.util.Arrays.copyOf(expected, 10), fromBytes, 1e-5f);
    }

    @Test
    void badBinaryFramingIs400() throws Exception {
        int[] a = pixels(0);
        String header = "{\"inputs\": [" + binaryInput("FP32", "[1, 1, 28, 28]", 784 * 4) + "]}";
        byte[] body = concat(header, fp32(a));
        int length = header.getBytes(StandardCharsets.UTF_8).length;
        for (String bad : List.of("abc", "-1", "0", "1.5", Integer.toString(body.length + 1), "99999999999")) {
            String message = assertError(server.post(INFER, "application/octet-stream", body, HEADER_LENGTH, bad), 400,
                    "invalid_header_length");
            assertTrue(message.contains(HEADER_LENGTH), message);
        }
        assertError(server.post(INFER, "application/octet-stream", body, HEADER_LENGTH, Integer.toString(length - 1)),
                400, "invalid_json");
        assertError(inferBinary("{\"inputs\": [" + binaryInput("FP32", "[1, 1, 28, 28]", 784) + "]}", fp32(a)),
                400, "wrong_binary_size");
        assertError(inferBinary("{\"inputs\": [" + binaryInput("FP32", "[1, 1, 28, 28]", -4) + "]}", fp32(a)),
                400, "invalid_binary_size");
        assertError(inferBinary(header, java.util.Arrays.copyOf(fp32(a), 784 * 4 - 4)), 400, "binary_data_beyond_body");
        assertError(inferBinary(header, java.util.Arrays.copyOf(fp32(a), 784 * 4 + 4)), 400, "unexpected_bytes");
        assertError(server.postJson(INFER, header), 400, "binary_data_beyond_body");

        byte[] nan = fp32(a);
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(7 * 4, Float.NaN);
        assertTrue(assertError(inferBinary(header, nan), 400, "out_of_range").contains("element 7"));
        assertEquals(200, inferBinary(header, fp32(a)).statusCode(), "the same request, well framed");
    }
}
