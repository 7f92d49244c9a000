package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.SharedHome;
import io.moxing.core.Json;
import io.moxing.data.DatasetStore;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server on a loopback port with the shared cnn-28 deployed as "cnn-28", a 1 MB body limit and the
 * given image pixel limit, and the requests the decoding tests send it.
 */
final class CnnServer implements AutoCloseable {
    /** The content type of {@link #multipart} bodies. */
    static final String MULTIPART = "multipart/form-data; boundary=b0undary";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ModelServer server;
    private final String base;

    CnnServer(Path tmp, long maxImagePixels) {
        var cnn = SharedHome.cnn();
        SqlDeployments deployments = new SqlDeployments(Database.open(null, tmp.resolve("moxing-" + maxImagePixels + ".db")));
        deployments.put(DeploymentRequests.target(cnn.model() + ":" + cnn.version(), "cnn-28", "production", 100, 16, 20, 1,
                new ModelRegistry(SharedHome.home().models())));
        server = new ModelServer(SharedHome.home(), deployments,
                new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 100).withMaxImagePixels(maxImagePixels)).start();
        base = "http://127.0.0.1:" + server.port();
    }

    /** POST with optional header name/value pairs; the answer as bytes, since a v2 answer may be binary. */
    HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> postJson(String path, String json) throws Exception {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** Asserts a refusal with this status and code, and returns its message for the test to read. */
    static String assertError(HttpResponse<byte[]> r, int status, String code) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), body);
        JsonNode error = json(r).get("error");
        assertEquals(code, error.get("code").asText(), body);
        return error.get("message").asText();
    }

    /** Fashion-MNIST test image {@code index} as a PNG. */
    static byte[] png(int index) throws Exception {
        var image = new DatasetStore(SharedHome.home().datasets()).resolveOrImportKnown("fashion-mnist").image("test", index);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image.image(), "png", out);
        return out.toByteArray();
    }

    static byte[] multipart(String field, String filename, byte[] file) {
        return multipart(field, filename, file, 1);
    }

    /** A form of {@code copies} parts, each the same file (named {@code filename} with its number). */
    static byte[] multipart(String field, String filename, byte[] file, int copies) {
        return multipart(field, filename, java.util.Collections.nCopies(copies, file));
    }

    /** A form of one part per file, in order (named {@code filename} with its number when there are several). */
    static byte[] multipart(String field, String filename, java.util.List<byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < files.size(); i++) {
            out.writeBytes(((i == 0 ? "" : "\r\n") + "--b0undary\r\nContent-Disposition: form-data; name=\"" + field
                    + "\"; filename=\"" + (files.size() == 1 ? filename : i + "-" + filename)
                    + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(files.get(i));
        }
        out.writeBytes("\r\n--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.close();
    }
}
