package io.moxing.http;

import java.util.List;

/**
 * An Open Inference Protocol v2 request, decoded by {@link V2Codec}.
 *
 * @param id           the client's id, echoed in the answer; null when it sent none (the answer's id is then its prediction id)
 * @param samples      the rows of the input tensor, each the model's input shape in float32
 * @param binaryOutput whether the output goes back as raw bytes after the JSON (binary tensor data extension)
 */
record V2Request(String id, List<float[]> samples, boolean binaryOutput) {}
