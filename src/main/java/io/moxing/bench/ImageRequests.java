package io.moxing.bench;

import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests the serving benchmarks send: a real test image of the model's data set, as a file (PNG)
 * or as the decoded tensor, in each format the server takes.
 */
final class ImageRequests {
    private ImageRequests() {}

    /** Test image 0 of the data set the model was trained on, as PNG bytes (grey for a grey data set). */
    static byte[] png(MoxingHome home, ModelVersion card) throws IOException {
        var trainedOn = new ModelRegistry(home.models()).provenance(card.ref()).dataset();
        Dataset data = new DatasetStore(home.datasets()).resolveOrImportKnown(trainedOn.name() + ":" + trainedOn.version());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(data.image("test", 0).image(), "png", out);
        return out.toByteArray();
    }

    /**
     * The same picture as a colour PNG (three equal channels), as a phone or a browser's canvas sends a grey picture;
     * null when the picture already is in colour. The server inflates three times the pixels and folds them back to the
     * grey the model takes. The bench measures both; until 2026-12-01 it sent only this one.
     */
    static byte[] colourPng(byte[] png) throws IOException {
        BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        if (picture.getColorModel().getNumColorComponents() != 1) return null;
        BufferedImage colour = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                int v = picture.getRaster().getSample(x, y, 0);
                colour.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(colour, "png", out);
        return out.toByteArray();
    }

    static byte[] multipart(String boundary, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"image.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String base64Json(byte[] png) {
        return "{\"image\": \"" + Base64.getEncoder().encodeToString(png) + "\"}";
    }

    /** v1 JSON rows: {"inputs": [[...the sample's values...]]}. */
    static byte[] rowsJson(float[] sample) {
        return Json.line(Map.of("inputs", List.of(sample))).getBytes(StandardCharsets.UTF_8);
    }

    /** Open Inference Protocol v2 JSON: one FP32 tensor of shape [1, ...inputShape] with its data. */
    static byte[] v2Json(float[] sample, List<Integer> inputShape) {
        Map<String, Object> tensor = v2Tensor(inputShape);
        tensor.put("data", sample);
        return Json.line(Map.of("inputs", List.of(tensor))).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * v2 with the binary tensor extension (KServe, Triton): the JSON header, whose tensor names its
     * {@code binary_data_size} instead of carrying {@code data}, then the tensor as little-endian floats.
     * The header's length goes in {@code Inference-Header-Content-Length}.
     */
    static BinaryTensorRequest v2Binary(float[] sample, List<Integer> inputShape) {
        Map<String, Object> tensor = v2Tensor(inputShape);
        tensor.put("parameters", Map.of("binary_data_size", sample.length * Float.BYTES));
        byte[] header = Json.line(Map.of("inputs", List.of(tensor))).getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(header.length + sample.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        body.put(header);
        for (float v : sample) body.putFloat(v);
        return new BinaryTensorRequest(body.array(), header.length);
    }

    /** A binary-extension body and the length of its JSON header. */
    record BinaryTensorRequest(byte[] body, int headerLength) {}

    private static Map<String, Object> v2Tensor(List<Integer> inputShape) {
        List<Integer> shape = new ArrayList<>();
        shape.add(1);
        shape.addAll(inputShape);
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("name", "input");
        tensor.put("shape", shape);
        tensor.put("datatype", "FP32");
        return tensor;
    }

    /**
     * Every format the serving bench measures, each carrying the same image to deployment {@code deployment}; the
     * colour PNG of a grey picture ({@code colourPng}, null for none) as a multipart format of its own.
     */
    static List<RequestFormat> formats(String deployment, byte[] png, byte[] colourPng, float[] sample,
                                       List<Integer> inputShape) {
        String v1 = "/v1/models/" + deployment + "/predict";
        String v2 = "/v2/models/" + deployment + "/infer";
        String boundary = "moxingbench";
        BinaryTensorRequest binary = v2Binary(sample, inputShape);
        List<RequestFormat> formats = new ArrayList<>();
        formats.add(HttpFormat.post("multipart", "multipart PNG", v1, "multipart/form-data; boundary=" + boundary,
                multipart(boundary, png)));
        if (colourPng != null) {
            formats.add(HttpFormat.post("multipart_rgb", "multipart PNG in colour", v1,
                    "multipart/form-data; boundary=" + boundary, multipart(boundary, colourPng)));
        }
        formats.add(HttpFormat.post("json", "base64 JSON", v1, "application/json",
                base64Json(png).getBytes(StandardCharsets.UTF_8)));
        formats.add(HttpFormat.post("rows", "JSON rows", v1, "application/json", rowsJson(sample)));
        formats.add(HttpFormat.post("v2", "v2 JSON", v2, "application/json", v2Json(sample, inputShape)));
        formats.add(HttpFormat.post("v2_binary", "v2 binary tensor", v2, "application/octet-stream", binary.body())
                .withHeader("Inference-Header-Content-Length", Integer.toString(binary.headerLength())));
        formats.add(new GrpcFormat(deployment, sample, inputShape));
        return List.copyOf(formats);
    }
}
