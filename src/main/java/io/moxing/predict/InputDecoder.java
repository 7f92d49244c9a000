package io.moxing.predict;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.data.Images;
import io.moxing.registry.ModelVersion;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns raw input (image bytes, or a JSON row of numbers) into the normalised features a model
 * version takes, using the normalisation recorded with the version.
 */
public final class InputDecoder {
    /** The largest image decoded unless told otherwise: 4096x4096, 64 MB as 8-bit RGBA. */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 4096L * 4096;

    private InputDecoder() {}

    /** Decodes a JPEG or PNG of at most {@link #DEFAULT_MAX_IMAGE_PIXELS} and resizes it to the model's input. */
    public static float[] image(byte[] bytes, ModelVersion card, String source) {
        return image(bytes, card, source, DEFAULT_MAX_IMAGE_PIXELS);
    }

    /**
     * Decodes a JPEG or PNG and resizes it to the model's input (channels, height, width). An image declaring
     * more than {@code maxPixels} is refused from its header with {@link ImageTooLargeException}.
     */
    public static float[] image(byte[] bytes, ModelVersion card, String source, long maxPixels) {
        return image(bytes, card, source, PixelBudget.of(maxPixels));
    }

    /** An image one request brings; {@code source} names it in refusals. */
    public record Upload(String source, byte[] bytes) {}

    /**
     * The images of one request, decoded and resized, each of at most {@code maxPixels} and all of them together
     * within {@link PixelBudget}'s total. Every image's header is read and charged before any image is decoded:
     * a form over the total costs no decoding at all, not the decoding of the images that fit before it.
     */
    public static List<float[]> images(List<Upload> uploads, ModelVersion card, long maxPixels) {
        return images(uploads, card, maxPixels, uploads.size());
    }

    /**
     * The same, decoding only the first {@code most} images (an explanation needs one); the others are still
     * charged, so a request over the budget is refused whatever it asks for.
     */
    public static List<float[]> images(List<Upload> uploads, ModelVersion card, long maxPixels, int most) {
        PixelBudget total = PixelBudget.of(maxPixels);
        for (Upload upload : uploads) {
            UntrustedImage.Size size = UntrustedImage.declared(upload.bytes(), upload.source());
            total.take(upload.source(), size.width(), size.height());
        }
        List<float[]> samples = new ArrayList<>(Math.min(most, uploads.size()));
        for (Upload upload : uploads.subList(0, Math.min(most, uploads.size()))) {
            samples.add(image(upload.bytes(), card, upload.source(), maxPixels));
        }
        return samples;
    }

    private static float[] image(byte[] bytes, ModelVersion card, String source, PixelBudget budget) {
        List<Integer> shape = card.inputShape();
        if (shape.size() != 3) {
            throw new UserException("wrong_input_kind", source + ": model " + card.ref()
                    + " takes rows of numbers, not images; give a JSON row");
        }
        BufferedImage image = UntrustedImage.decode(bytes, budget, source);
        byte[] chw = Images.toChw(image, shape.get(0), shape.get(2), shape.get(1));
        float[] values = new float[chw.length];
        for (int i = 0; i < chw.length; i++) values[i] = chw[i] & 0xFF;
        card.normalization().apply(values, values.length, values.length / shape.get(0));
        return values;
    }

    /** A JSON array of numbers (one sample) or of arrays (several samples), flattened to the model's input. */
    public static List<float[]> rows(String json, ModelVersion card, String source) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UserException("invalid_json", source + ": not valid JSON; give a row such as [0.1, 2, 3]");
        }
        return rows(node, card, source);
    }

    /**
     * The same, from JSON already parsed (a field of a request body). Each number must fit float32; a refusal
     * names the value as {@code source[row][index]}.
     */
    public static List<float[]> rows(JsonNode node, ModelVersion card, String source) {
        int size = card.inputShape().stream().reduce(1, Math::multiplyExact);
        List<float[]> rows = new ArrayList<>();
        if (node != null && node.isArray() && node.size() > 0 && node.get(0).isArray()) {
            for (int i = 0; i < node.size(); i++) rows.add(row(node.get(i), size, source + "[" + i + "]", card));
        } else {
            rows.add(row(node, size, source, card));
        }
        return rows;
    }

    private static float[] row(JsonNode node, int size, String where, ModelVersion card) {
        if (node == null || node.isNull()) {
            throw new UserException("wrong_shape", where + ": expected numbers, got null");
        }
        long count = JsonTensor.count(node);
        if (count != size) {
            throw new UserException("wrong_shape", where + ": " + count + " numbers, but model " + card.ref()
                    + " takes " + size + " (shape " + card.inputShape() + ")");
        }
        float[] values = new float[size];
        JsonTensor.fill(node, TensorType.FP32, values, where);
        card.normalization().apply(values, size, card.inputShape().size() == 3 ? size / card.inputShape().get(0) : 1);
        return values;
    }
}
