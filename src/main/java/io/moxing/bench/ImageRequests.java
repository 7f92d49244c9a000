package io.moxing.bench;

import io.moxing.core.MoxingHome;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The request bodies the serving benchmarks send: a real test image of the model's data set. */
final class ImageRequests {
    private ImageRequests() {}

    /** Test image 0 of the data set the model was trained on, as PNG bytes. */
    static byte[] png(MoxingHome home, ModelVersion card) throws IOException {
        var trainedOn = new ModelRegistry(home.models()).provenance(card.ref()).dataset();
        Dataset data = new DatasetStore(home.datasets()).resolveOrImportKnown(trainedOn.name() + ":" + trainedOn.version());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(data.image("test", 0).image(), "png", out);
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
}
