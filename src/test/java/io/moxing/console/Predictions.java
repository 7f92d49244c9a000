package io.moxing.console;

import io.moxing.SharedHome;
import io.moxing.data.DatasetStore;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Calls of the API the console's tests make as a tenant's program would: an image classified under an API key. */
final class Predictions {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static byte[] shoe;

    private Predictions() {}

    /** Fashion-MNIST's first test image (an ankle boot) as a PNG. */
    static synchronized byte[] shoe() throws Exception {
        if (shoe == null) shoe = png(0);
        return shoe;
    }

    /** The image classified by deployment {@code model} under {@code key}. */
    static HttpResponse<String> classify(String base, String key, String model) throws Exception {
        String boundary = "b0undary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"shoe.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(shoe());
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + "/predict"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Fashion-MNIST test image {@code index} as a PNG. */
    static byte[] png(int index) throws Exception {
        var image = new DatasetStore(SharedHome.home().datasets()).resolveOrImportKnown("fashion-mnist").image("test", index);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image.image(), "png", out);
        return out.toByteArray();
    }
}
