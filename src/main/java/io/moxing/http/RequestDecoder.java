package io.moxing.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelVersion;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns a request body into model inputs, or an {@link ApiError} that names the field: an image
 * (multipart upload or base64 in JSON) or JSON rows for the v1 API, typed tensors for Open Inference
 * Protocol v2.
 */
final class RequestDecoder {
    private RequestDecoder() {}

    static JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw new ApiError(400, "empty_body", "the request has no body; send JSON, e.g. {\"inputs\": [[...]]}");
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "invalid_json", "the body is not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + "); numbers must be finite (no NaN or Infinity)");
        } catch (java.io.IOException e) {
            throw new ApiError(400, "invalid_json", "the body cannot be read as JSON: " + e.getMessage());
        }
    }

    /** v1 JSON: {"image": BASE64} or {"inputs": [...] | "instances": [...] | "rows": [...]}. */
    static List<float[]> v1(JsonNode body, ModelVersion card) {
        if (!body.isObject()) {
            throw new ApiError(400, "invalid_body", "the body must be a JSON object with \"inputs\" (rows of numbers) or"
                    + " \"image\" (base64 PNG/JPEG)");
        }
        try {
            if (body.hasNonNull("image")) {
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(body.get("image").asText().replaceAll("\\s", ""));
                } catch (IllegalArgumentException e) {
                    throw new ApiError(400, "invalid_image", "field \"image\": not base64 (" + e.getMessage() + ")");
                }
                return List.of(InputDecoder.image(bytes, card, "field \"image\""));
            }
            for (String field : List.of("inputs", "instances", "rows")) {
                if (body.has(field)) {
                    return InputDecoder.rows(body.get(field), card, "field \"" + field + "\"");
                }
            }
        } catch (UserException e) {
            throw new ApiError(400, e.code(), e.getMessage());
        }
        throw new ApiError(400, "missing_field", "the body needs \"inputs\" (a row or rows of " + size(card)
                + " numbers) or \"image\" (base64 PNG/JPEG)");
    }

    static float[] image(byte[] bytes, ModelVersion card, String field) {
        try {
            return InputDecoder.image(bytes, card, "upload \"" + field + "\"");
        } catch (UserException e) {
            throw new ApiError(400, e.code(), e.getMessage());
        }
    }

    /**
     * The samples of an Open Inference Protocol v2 request: one input tensor whose shape is
     * [batch, ...the model's input shape], datatype FP32 (or FP64/INT*), data flat or nested in row-major order.
     */
    static List<float[]> v2(JsonNode body, ModelVersion card) {
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray() || inputs.size() != 1) {
            throw new ApiError(400, "invalid_inputs", "\"inputs\" must be a list with one tensor {\"name\", \"shape\","
                    + " \"datatype\", \"data\"}; this model takes one input of shape " + shapeWithBatch(card));
        }
        JsonNode tensor = inputs.get(0);
        String datatype = tensor.path("datatype").asText("");
        if (!List.of("FP32", "FP64", "FP16", "INT8", "INT16", "INT32", "INT64", "UINT8").contains(datatype)) {
            throw new ApiError(400, "invalid_datatype", "inputs[0].datatype '" + datatype + "' must be a numeric type, e.g. FP32");
        }
        JsonNode shapeNode = tensor.path("shape");
        if (!shapeNode.isArray() || shapeNode.isEmpty()) {
            throw new ApiError(400, "invalid_shape", "inputs[0].shape must be a list such as " + shapeWithBatch(card));
        }
        List<Long> shape = new ArrayList<>();
        shapeNode.forEach(d -> shape.add(d.asLong(-1)));
        List<Long> expected = card.inputShape().stream().map(Integer::longValue).toList();
        if (shape.stream().anyMatch(d -> d <= 0) || !shape.subList(1, shape.size()).equals(expected)) {
            throw new ApiError(400, "wrong_shape", "inputs[0].shape " + shape + " does not fit this model: expected "
                    + shapeWithBatch(card) + " (batch first)");
        }
        List<Double> values = new ArrayList<>();
        flatten(tensor.path("data"), values);
        long batch = shape.get(0);
        int size = size(card);
        if (values.size() != batch * size) {
            throw new ApiError(400, "wrong_shape", "inputs[0].data has " + values.size() + " values but shape " + shape
                    + " needs " + batch * size);
        }
        List<float[]> samples = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            float[] sample = new float[size];
            for (int i = 0; i < size; i++) sample[i] = values.get(b * size + i).floatValue();
            samples.add(sample);
        }
        return samples;
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, out));
        } else if (node.isNumber() && Double.isFinite(node.asDouble())) {
            out.add(node.asDouble());
        } else {
            throw new ApiError(400, "invalid_data", "inputs[0].data must hold finite numbers only; found " + node);
        }
    }

    static int size(ModelVersion card) {
        return card.inputShape().stream().reduce(1, Math::multiplyExact);
    }

    static String shapeWithBatch(ModelVersion card) {
        List<Object> s = new ArrayList<>();
        s.add(-1);
        s.addAll(card.inputShape());
        return s.toString();
    }
}
