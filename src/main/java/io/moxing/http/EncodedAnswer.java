package io.moxing.http;

import io.moxing.core.Json;
import java.util.Map;

/** An answer already encoded as it is sent (and kept for idempotent replays): bytes, media type, extra headers. */
record EncodedAnswer(byte[] bytes, String contentType, Map<String, String> headers) {
    static EncodedAnswer json(Object body) {
        return new EncodedAnswer(Json.bytes(body), "application/json", Map.of());
    }
}
