package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The v2 answer is written as text by hand; it must be the JSON that Jackson, configured as the project's one
 * mapper, would write for the same answer: strings escaped alike, floats in the same shortest digits.
 */
class V2CodecTest {
    /** How the old encoder wrote: the project's mapper, through a generator of its own (no indentation). */
    private static final ObjectWriter JACKSON = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
    private static final List<float[]> OUTPUTS = List.of(new float[] {0.1f, 1e-8f, 3.4028235e38f, -0f},
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f / 3});

    /** What the project's Jackson configuration writes for the answer. */
    private static JsonNode expected(String id, String predictionId, String model, boolean binary) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("model_name", model).put("model_version", "3").put("id", id == null ? predictionId : id);
        answer.putObject("parameters").put("prediction_id", predictionId);
        ObjectNode output = answer.putArray("outputs").addObject();
        output.put("name", "output").putArray("shape").add(2).add(4);
        output.put("datatype", "FP32");
        if (binary) {
            output.putObject("parameters").put("binary_data_size", 32);
        } else {
            var data = output.putArray("data");
            for (float[] row : OUTPUTS) for (float v : row) data.add(v);
        }
        return answer;
    }

    @Test
    void aJsonAnswerIsWhatJacksonWritesWithStringsEscapedAndOddFloatsQuoted() throws Exception {
        String id = "a\"b\\c\n\t\u0001/é中";
        EncodedAnswer answer = V2Codec.encode(new V2Request(id, List.of(), false), "p-1", "cnn-28", 3, OUTPUTS);
        assertEquals("application/json", answer.contentType());
        String jackson = JACKSON.writeValueAsString(expected(id, "p-1", "cnn-28", false));
        assertEquals(jackson, new String(answer.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aBinaryAnswerIsItsJsonHeaderThenTheRowsAsLittleEndianFloats() throws Exception {
        EncodedAnswer answer = V2Codec.encode(new V2Request(null, List.of(), true), "p-2", "m", 3, OUTPUTS);
        assertEquals("application/octet-stream", answer.contentType());
        int headerLength = Integer.parseInt(answer.headers().get(V2Codec.HEADER_LENGTH));
        assertEquals(headerLength + 32, answer.bytes().length);
        String jackson = JACKSON.writeValueAsString(expected(null, "p-2", "m", true));
        assertEquals(jackson, new String(answer.bytes(), 0, headerLength, StandardCharsets.UTF_8));
        float[] back = new float[8];
        ByteBuffer.wrap(answer.bytes(), headerLength, 32).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(back);
        assertArrayEquals(new float[] {0.1f, 1e-8f, 3.4028235e38f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 1f / 3}, back);
    }
}
