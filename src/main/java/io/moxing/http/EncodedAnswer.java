package io.moxing.http;

import java.util.Map;

/** A response body already encoded, with its content type and the headers that describe it. */
record EncodedAnswer(byte[] bytes, String contentType, Map<String, String> headers) {}
