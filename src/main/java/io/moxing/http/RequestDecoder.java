package io.moxing.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.moxing.core.Echo;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.predict.ImageTooLargeException;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelVersion;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns a request body into model inputs, or an {@link ApiError} that names the field: an image
 * (multipart upload or base64 in JSON) or JSON rows for the v1 API. Open Inference Protocol v2 requests
 * are {@link V2Codec}'s.
 */
final class RequestDecoder {
    /** One value and nothing after it: "{...} {...}" would otherwise be read as its first object alone. */
    private static final ObjectReader WHOLE = Json.MAPPER.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestDecoder() {}

    static JsonNode json(byte[] body) {
        return json(body, 0, body.length);
    }

    /** The JSON in {@code body[offset, offset + length)}: a 400 that says where and why when it does not parse. */
    static JsonNode json(byte[] body, int offset, int length) {
        if (length == 0) {
            throw new ApiError(400, "empty_body", "the request has no body; send JSON, e.g. {\"inputs\": [[...]]}");
        }
        try {
            ObjectReader reader = BoundedJsonNodes.needed(length) ? WHOLE.with(new BoundedJsonNodes(length)) : WHOLE;
            return reader.readTree(body, offset, length);
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof ApiError refused) throw refused;
            throw JsonRefusal.of(e);
        }
    }

    /** v1 JSON: {"image": BASE64} or {"inputs": [...] | "instances": [...] | "rows": [...]}. */
    static List<float[]> v1(byte[] body, ModelVersion card, long maxImagePixels) {
        return v1(json(body), card, maxImagePixels);
    }

    private static List<float[]> v1(JsonNode body, ModelVersion card, long maxImagePixels) {
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
                return List.of(InputDecoder.image(bytes, card, "field \"image\"", maxImagePixels));
            }
            for (String field : List.of("inputs", "instances", "rows")) {
                if (body.has(field)) {
                    return InputDecoder.rows(body.get(field), card, field);
                }
            }
        } catch (UserException e) {
            throw refused(e);
        }
        throw new ApiError(400, "missing_field", "the body needs \"inputs\" (a row or rows of " + size(card)
                + " numbers) or \"image\" (base64 PNG/JPEG)");
    }

    /**
     * Uploaded files' images, all charged to the request's pixel budget from their headers before any is decoded;
     * only the first {@code most} are decoded.
     */
    static List<float[]> images(List<MultipartForm.FilePart> files, ModelVersion card, long maxImagePixels, int most) {
        List<InputDecoder.Upload> uploads = new ArrayList<>(files.size());
        for (MultipartForm.FilePart f : files) {
            // the name as an answer may repeat it: a client's 100 KB file name is not echoed whole
            uploads.add(new InputDecoder.Upload("upload \"" + Echo.of(f.filename()) + "\"", f.bytes()));
        }
        try {
            return InputDecoder.images(uploads, card, maxImagePixels, most);
        } catch (UserException e) {
            throw refused(e);
        }
    }

    /** A user mistake found while decoding, as HTTP: 413 for an image over the pixel limit, else 400. */
    static ApiError refused(UserException e) {
        return new ApiError(e instanceof ImageTooLargeException ? 413 : 400, e.code(), e.getMessage());
    }

    static int size(ModelVersion card) {
        int size = 1; // a loop, not a stream: this runs for every request
        for (int d : card.inputShape()) size = Math.multiplyExact(size, d);
        return size;
    }

    static String shapeWithBatch(ModelVersion card) {
        List<Object> s = new ArrayList<>();
        s.add(-1);
        s.addAll(card.inputShape());
        return s.toString();
    }
}
