package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.registry.ModelVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol v2 on the wire, with its binary tensor data extension (KServe, Triton): a
 * body may be a JSON header of {@value #HEADER_LENGTH} bytes followed by raw little-endian tensors, and an
 * answer may be sent the same way. Works on the body as read, so it knows nothing of the HTTP server.
 */
final class V2Codec {
    /** The request and response header giving the JSON header's length when binary tensor data follows it. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    /** The name of the model's one output tensor, as the model metadata lists it. */
    static final String OUTPUT = "output";

    private V2Codec() {}

    /** GET /v2: who answers and which protocol extensions it speaks. */
    static Map<String, Object> serverMetadata() {
        String version = V2Codec.class.getPackage().getImplementationVersion();
        return Map.of("name", "moxing", "version", version == null ? "dev" : version, "extensions", List.of("binary_tensor_data"));
    }

    /**
     * What a v2 request's JSON says once checked against the model: the client's id, whether the answer goes as
     * binary, and where the input's values are.
     */
    record Header(String id, boolean binaryOutput, V2Input.Values input) {}

    /**
     * A v2 request from its body and the value of its {@value #HEADER_LENGTH} header (null when the body is
     * all JSON), sent by {@code tenant}. Every refusal is an {@link ApiError} 400 naming the field. A JSON header
     * followed by binary data is looked up in {@code seen} first (a client sends the same header for every request of
     * one shape) and, when read, left there.
     */
    static V2Request decode(byte[] body, String headerLength, ModelVersion card, String tenant, V2Headers seen) {
        int jsonLength = jsonLength(headerLength, body.length);
        Header header = headerLength == null ? null : seen.find(tenant, card, body, jsonLength);
        if (header == null) {
            header = header(RequestDecoder.json(body, 0, jsonLength), card);
            if (headerLength != null) seen.keep(tenant, card, body, jsonLength, header);
        }
        float[] values;
        int binaryBytes = 0;
        if (header.input() instanceof V2Input.Binary binary) {
            values = binary.read(body, jsonLength);
            binaryBytes = binary.bytes();
        } else {
            values = ((V2Input.Inline) header.input()).values();
        }
        int unread = body.length - jsonLength - binaryBytes;
        if (unread > 0) {
            throw new ApiError(400, "unexpected_bytes", "the body has " + unread + " bytes after the JSON header and the"
                    + " tensor's binary data; check " + HEADER_LENGTH + " and inputs[0].parameters.binary_data_size");
        }
        return new V2Request(header.id(), V2Input.rows(values, RequestDecoder.size(card)), header.binaryOutput());
    }

    private static Header header(JsonNode request, ModelVersion card) {
        if (!request.isObject()) {
            throw new ApiError(400, "invalid_body", "the JSON must be an object {\"inputs\": [...]}");
        }
        JsonNode inputs = request.path("inputs");
        if (!inputs.isArray() || inputs.size() != 1 || !inputs.get(0).isObject()) {
            throw new ApiError(400, "invalid_inputs", "\"inputs\" must be a list with one tensor {\"name\", \"shape\","
                    + " \"datatype\", \"data\"}; this model takes one input of shape " + RequestDecoder.shapeWithBatch(card));
        }
        boolean binaryOutput = binaryOutput(request);
        V2Input.Values input = V2Input.values(inputs.get(0), card);
        return new Header(id(request.get("id")), binaryOutput, input);
    }

    /** The JSON header's length: the header's value, or the whole body when there is no header. */
    private static int jsonLength(String header, int bodyLength) {
        if (header == null) return bodyLength;
        String digits = header.strip();
        boolean whole = !digits.isEmpty() && digits.length() <= 10;
        for (int i = 0; whole && i < digits.length(); i++) whole = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        long length = whole ? Long.parseLong(digits) : -1;
        if (length < 1 || length > bodyLength) {
            String shown = header.length() > 20 ? header.substring(0, 20) + "..." : header;
            throw new ApiError(400, "invalid_header_length", "header " + HEADER_LENGTH + " is '" + shown + "'; it is the"
                    + " length in bytes of the JSON at the start of the body, from 1 to the body's " + bodyLength);
        }
        return (int) length;
    }

    private static String id(JsonNode id) {
        if (id == null || id.isNull()) return null;
        if (!id.isTextual()) {
            throw new ApiError(400, "invalid_id", "\"id\" is " + (id.isContainerNode() ? id.getNodeType().name().toLowerCase()
                    : id.toString()) + "; it must be a string, e.g. \"id\": \"42\"");
        }
        return id.asText();
    }

    /**
     * Whether the answer's output goes as binary: the output's own "binary_data" when the request lists it in
     * "outputs", else the request's "binary_data_output", else no. An output this model lacks is refused.
     */
    private static boolean binaryOutput(JsonNode request) {
        boolean binary = Boolean.TRUE.equals(flag(request.get("parameters"), "binary_data_output", "parameters"));
        JsonNode outputs = request.get("outputs");
        if (outputs == null || outputs.isNull()) return binary;
        if (!outputs.isArray()) {
            throw new ApiError(400, "invalid_outputs", "\"outputs\" must be a list such as [{\"name\": \"" + OUTPUT + "\"}]");
        }
        for (int i = 0; i < outputs.size(); i++) {
            String where = "outputs[" + i + "]";
            JsonNode name = outputs.get(i).path("name");
            if (!name.isTextual()) {
                throw new ApiError(400, "invalid_outputs", where + ".name must be a string such as \"" + OUTPUT + "\"");
            }
            if (!name.asText().equals(OUTPUT)) {
                throw new ApiError(400, "unknown_output", where + ".name '" + name.asText() + "' is not an output of this"
                        + " model; its outputs: [" + OUTPUT + "]");
            }
            Boolean own = flag(outputs.get(i).get("parameters"), "binary_data", where + ".parameters");
            if (own != null) binary = own;
        }
        return binary;
    }

    /** The optional boolean {@code parameters[name]}: null when absent; {@code where} names the parameters in refusals. */
    private static Boolean flag(JsonNode parameters, String name, String where) {
        if (parameters == null || parameters.isNull()) return null;
        if (!parameters.isObject()) {
            throw new ApiError(400, "invalid_parameters", where + " must be an object such as {\"" + name + "\": true}");
        }
        JsonNode value = parameters.get(name);
        if (value == null || value.isNull()) return null;
        if (!value.isBoolean()) {
            throw new ApiError(400, "invalid_parameters", where + "." + name + " is " + value + "; it must be true or false");
        }
        return value.booleanValue();
    }

    /**
     * The answer to {@code request}: the outputs as one FP32 tensor [rows, width], in the JSON or, when the
     * client asked for binary output, as raw little-endian bytes after it with {@value #HEADER_LENGTH} set.
     * {@code id} echoes the client's; the response's {@code parameters.prediction_id} is the id the request
     * is metered under, and row i of the output is prediction {@code PREDICTION_ID.i} ({@link
     * io.moxing.serve.PredictionId}): the protocol's parameters hold only scalars, so the rows' ids are
     * named by that rule rather than listed.
     */
    static EncodedAnswer encode(V2Request request, String predictionId, String model, int version, List<float[]> outputs) {
        int width = outputs.get(0).length;
        int binaryBytes = request.binaryOutput() ? outputs.size() * width * Float.BYTES : 0;
        // written straight to text, byte for byte what Jackson's generator wrote (V2CodecTest)
        StringBuilder json = new StringBuilder(200 + (request.binaryOutput() ? 0 : outputs.size() * width * 12));
        json.append("{\"model_name\":");
        JsonText.quoted(json, model);
        json.append(",\"model_version\":\"").append(version).append("\",\"id\":");
        // without the client's own id the answer's is the id it is metered under: one id, not two unrelated ones
        JsonText.quoted(json, request.id() == null ? predictionId : request.id());
        json.append(",\"parameters\":{\"prediction_id\":");
        JsonText.quoted(json, predictionId);
        json.append("},\"outputs\":[{\"name\":\"" + OUTPUT + "\",\"shape\":[").append(outputs.size()).append(',').append(width)
                .append("],\"datatype\":\"FP32\",");
        if (request.binaryOutput()) {
            json.append("\"parameters\":{\"binary_data_size\":").append(binaryBytes).append('}');
        } else {
            json.append("\"data\":[");
            boolean first = true;
            for (float[] row : outputs) {
                for (float v : row) {
                    if (!first) json.append(',');
                    first = false;
                    JsonText.number(json, v);
                }
            }
            json.append(']');
        }
        json.append("}]}");
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        if (!request.binaryOutput()) return new EncodedAnswer(header, "application/json", Map.of());
        byte[] bytes = Arrays.copyOf(header, header.length + binaryBytes);
        var floats = ByteBuffer.wrap(bytes, header.length, binaryBytes).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (float[] row : outputs) floats.put(row);
        return new EncodedAnswer(bytes, "application/octet-stream", Map.of(HEADER_LENGTH, Integer.toString(header.length)));
    }
}
