package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import io.moxing.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The v2 answer is written as text by hand; its bytes must be those that Jackson's generator, configured as the
 * project's one mapper, wrote for the same answer before: strings escaped alike (control characters, surrogates),
 * floats in the same digits.
 */
class V2CodecTest {
    private static final List<float[]> ODD = List.of(new float[] {0.1f, 1e-8f, 3.4028235e38f, -0f},
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f / 3});

    /** The answer's JSON as the encoder wrote it with Jackson's generator (the code this class replaced). */
    private static byte[] jackson(String id, String predictionId, String model, int version, List<float[]> outputs,
                                  boolean binary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model_name", model);
            g.writeStringField("model_version", Integer.toString(version));
            g.writeStringField("id", id == null ? predictionId : id);
            g.writeObjectFieldStart("parameters");
            g.writeStringField("prediction_id", predictionId);
            g.writeEndObject();
            g.writeArrayFieldStart("outputs");
            g.writeStartObject();
            g.writeStringField("name", "output");
            g.writeArrayFieldStart("shape");
            g.writeNumber(outputs.size());
            g.writeNumber(outputs.get(0).length);
            g.writeEndArray();
            g.writeStringField("datatype", "FP32");
            if (binary) {
                g.writeObjectFieldStart("parameters");
                g.writeNumberField("binary_data_size", outputs.size() * outputs.get(0).length * 4);
                g.writeEndObject();
            } else {
                g.writeArrayFieldStart("data");
                for (float[] row : outputs) for (float v : row) g.writeNumber(v);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void same(String id, String model, List<float[]> outputs) throws IOException {
        EncodedAnswer json = V2Codec.encode(new V2Request(id, List.of(), false), "p-1", model, 3, outputs);
        assertEquals("application/json", json.contentType());
        assertArrayEquals(jackson(id, "p-1", model, 3, outputs, false), json.bytes(), "id " + id);
        EncodedAnswer binary = V2Codec.encode(new V2Request(id, List.of(), true), "p-1", model, 3, outputs);
        int headerLength = Integer.parseInt(binary.headers().get(V2Codec.HEADER_LENGTH));
        assertArrayEquals(jackson(id, "p-1", model, 3, outputs, true), Arrays.copyOf(binary.bytes(), headerLength), "id " + id);
    }

    @Test
    void stringsAreEscapedAsJacksonEscapesThem() throws IOException {
        List<String> ids = new ArrayList<>(List.of("plain-42", "a\"b\\c/d", "tab\there\nnew\rline\bback\fform",
                "\u007f del", "\u2028\u2029 separators", "é中文 Pullöver", "emoji \ud83d\ude00 pair",
                "lone high \ud800 end", "lone low \udc00", "reversed \udc00\ud800", ""));
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) controls.append(c);
        ids.add(controls.toString());
        for (String id : ids) same(id, "cnn-28", ODD);
        same(null, "model \"quoted\" \ud83d\ude00", ODD);
    }

    @Test
    void floatsAreWrittenInJacksonsDigits() throws IOException {
        Random random = new Random(7);
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < 50; r++) {
            float[] row = new float[20];
            for (int i = 0; i < row.length; i++) {
                row[i] = switch (i % 4) {
                    case 0 -> random.nextFloat();
                    case 1 -> Float.intBitsToFloat(random.nextInt()); // any bit pattern: subnormals, huge, NaN
                    case 2 -> (float) Math.exp(-random.nextInt(100));
                    default -> -random.nextFloat() * 1e6f;
                };
            }
            rows.add(row);
        }
        same(null, "m", rows);
        same("r", "m", ODD);
    }

    @Test
    void aBinaryAnswerEndsWithTheRowsAsLittleEndianFloats() {
        EncodedAnswer answer = V2Codec.encode(new V2Request(null, List.of(), true), "p-2", "m", 3, ODD);
        assertEquals("application/octet-stream", answer.contentType());
        int headerLength = Integer.parseInt(answer.headers().get(V2Codec.HEADER_LENGTH));
        assertEquals(headerLength + 32, answer.bytes().length);
        float[] back = new float[8];
        ByteBuffer.wrap(answer.bytes(), headerLength, 32).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(back);
        assertArrayEquals(new float[] {0.1f, 1e-8f, 3.4028235e38f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 1f / 3}, back);
    }
}
