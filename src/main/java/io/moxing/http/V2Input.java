package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.UserException;
import io.moxing.predict.JsonTensor;
import io.moxing.predict.TensorType;
import io.moxing.registry.ModelVersion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one input tensor of a v2 request, checked against the model (shape [batch, ...the model's input]) and
 * read into float32 rows, from JSON "data" or from the raw bytes after the JSON header.
 */
final class V2Input {
    private static final String WHERE = "inputs[0]";

    /** Where the tensor's values are: read already from the JSON's "data", or still to be read from the bytes after it. */
    sealed interface Values permits Inline, Binary {}

    /** Values the JSON carried. */
    record Inline(float[] values) implements Values {}

    /**
     * Values sent as binary data after the JSON header: {@code elements} of {@code type} in {@code bytes} bytes.
     * Depends on the header alone, so one made for a header serves every request that sends the same header.
     */
    record Binary(TensorType type, int elements, int bytes) implements Values {
        /** The values from {@code body}, starting at {@code start} (the JSON header's end). */
        float[] read(byte[] body, int start) {
            int available = body.length - start;
            if (bytes > available) {
                throw new ApiError(400, "binary_data_beyond_body", WHERE + ".parameters.binary_data_size is " + bytes
                        + " bytes but the body has " + available + " after the JSON header; send the header's length as "
                        + V2Codec.HEADER_LENGTH + " and the tensor's bytes after it");
            }
            float[] values = new float[elements];
            int bad = type.readLittleEndian(ByteBuffer.wrap(body, start, bytes), values);
            if (bad >= 0) {
                throw new ApiError(400, "out_of_range", WHERE + " binary data, element " + bad + ": NaN, infinite or"
                        + " beyond float32's range; send finite numbers");
            }
            return values;
        }
    }

    private V2Input() {}

    /** The tensor as its JSON describes it, checked against the model; JSON "data" is read here. */
    static Values values(JsonNode tensor, ModelVersion card) {
        TensorType type = datatype(tensor);
        int size = RequestDecoder.size(card);
        long elements;
        try {
            elements = Math.multiplyExact(batch(tensor.path("shape"), card), size);
        } catch (ArithmeticException e) {
            throw new ApiError(400, "shape_overflow", WHERE + ".shape " + tensor.path("shape") + " holds more values than"
                    + " a 64-bit count; send a batch of a few rows, e.g. " + example(card));
        }
        JsonNode data = tensor.get("data");
        JsonNode binarySize = tensor.path("parameters").get("binary_data_size");
        if (data != null && binarySize != null) {
            throw new ApiError(400, "invalid_data", WHERE + " has both \"data\" and parameters.binary_data_size; give one");
        }
        if (binarySize != null) return new Binary(type, (int) elements, binarySize(binarySize, elements, type));
        if (data == null) {
            throw new ApiError(400, "missing_data", WHERE + " has no \"data\" and no parameters.binary_data_size; send the"
                    + " values, e.g. \"data\": [0.1, 0.2, ...]");
        }
        long count = JsonTensor.count(data);
        if (count != elements) {
            throw new ApiError(400, "wrong_shape", WHERE + ".data has " + count + " values but shape "
                    + tensor.path("shape") + " needs " + elements);
        }
        float[] values = new float[(int) elements];
        try {
            JsonTensor.fill(data, type, values, WHERE + ".data");
        } catch (UserException e) {
            throw RequestDecoder.refused(e);
        }
        return new Inline(values);
    }

    /** The values cut into rows of the model's input {@code size}. */
    static List<float[]> rows(float[] values, int size) {
        List<float[]> samples = new ArrayList<>(values.length / size);
        if (values.length == size) {
            samples.add(values); // one row: the values are the row
        } else {
            for (int from = 0; from < values.length; from += size) samples.add(Arrays.copyOfRange(values, from, from + size));
        }
        return samples;
    }

    private static TensorType datatype(JsonNode tensor) {
        TensorType type = TensorType.named(tensor.path("datatype").asText(""));
        if (type == null) {
            throw new ApiError(400, "invalid_datatype", WHERE + ".datatype " + tensor.path("datatype") + " is not one this"
                    + " server reads; use one of " + TensorType.names() + " (FP32 is the model's own)");
        }
        return type;
    }

    /** The batch size: the shape's first dimension, once the shape is whole numbers and the rest is the model's. */
    private static long batch(JsonNode shape, ModelVersion card) {
        if (!shape.isArray() || shape.isEmpty()) {
            throw new ApiError(400, "invalid_shape", WHERE + ".shape must be a list such as " + example(card) + " (batch first)");
        }
        for (int i = 0; i < shape.size(); i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new ApiError(400, "invalid_shape", WHERE + ".shape[" + i + "] is " + d + "; dimensions are whole"
                        + " numbers of 0 or more, e.g. " + example(card));
            }
        }
        List<Integer> dims = card.inputShape();
        boolean fits = shape.size() == dims.size() + 1;
        for (int i = 0; fits && i < dims.size(); i++) fits = shape.get(i + 1).longValue() == dims.get(i);
        if (!fits) {
            throw new ApiError(400, "wrong_shape", WHERE + ".shape " + shape + " does not fit this model: expected "
                    + RequestDecoder.shapeWithBatch(card) + " (batch first)");
        }
        long batch = shape.get(0).longValue();
        if (batch == 0) {
            throw new ApiError(400, "empty_batch", WHERE + ".shape " + shape + " has no rows; send at least one, e.g. "
                    + example(card));
        }
        return batch;
    }

    /**
     * The byte count of binary data, checked against the shape (whether the body holds it is checked as it is read).
     * At most an int: no body this server reads is longer, so a larger size could never be read.
     */
    private static int binarySize(JsonNode size, long elements, TensorType type) {
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw new ApiError(400, "invalid_binary_size", WHERE + ".parameters.binary_data_size is " + size
                    + "; it is the tensor's length in bytes, a whole number");
        }
        long expected;
        try {
            expected = Math.multiplyExact(elements, type.bytes());
        } catch (ArithmeticException e) {
            throw new ApiError(400, "shape_overflow", WHERE + ".shape holds more bytes than a 64-bit count");
        }
        if (size.longValue() != expected) {
            throw new ApiError(400, "wrong_binary_size", WHERE + ".parameters.binary_data_size is " + size + " bytes but "
                    + elements + " " + type + " values take " + expected + " (" + type.bytes() + " bytes each)");
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw new ApiError(400, "binary_data_beyond_body", WHERE + ".parameters.binary_data_size is " + expected
                    + " bytes, more than any body this server reads");
        }
        return (int) expected;
    }

    /** A shape this model takes, batch of one: [1, 1, 28, 28]. */
    private static String example(ModelVersion card) {
        return RequestDecoder.shapeWithBatch(card).replaceFirst("-1", "1");
    }
}
