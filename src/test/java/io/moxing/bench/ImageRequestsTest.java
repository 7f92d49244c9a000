package io.moxing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRequestsTest {
    @Test
    void binaryTensorBodyIsTheJsonHeaderThenLittleEndianFloats() throws Exception {
        float[] sample = {0f, 1.5f, 255f, -2f, 7f, 8f};
        ImageRequests.BinaryTensorRequest r = ImageRequests.v2Binary(sample, List.of(1, 2, 3));
        assertEquals(r.headerLength() + sample.length * Float.BYTES, r.body().length);
        JsonNode tensor = Json.MAPPER.readTree(Arrays.copyOf(r.body(), r.headerLength())).get("inputs").get(0);
        assertEquals("[1,1,2,3]", tensor.get("shape").toString());
        assertEquals(sample.length * Float.BYTES, tensor.get("parameters").get("binary_data_size").asInt());
        assertFalse(tensor.has("data"), "the values travel in binary only");
        ByteBuffer values = ByteBuffer.wrap(r.body(), r.headerLength(), sample.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : sample) assertEquals(v, values.getFloat());
    }

    @Test
    void everyFormatHasItsOwnKey() throws Exception {
        List<RequestFormat> formats = ImageRequests.formats("bench", new byte[] {1, 2}, new byte[] {3}, new float[6],
                List.of(1, 2, 3));
        assertEquals(List.of("multipart", "multipart_rgb", "json", "rows", "v2", "v2_binary", "grpc"),
                formats.stream().map(RequestFormat::key).toList());
    }
}
