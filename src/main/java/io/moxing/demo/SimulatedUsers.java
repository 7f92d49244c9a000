package io.moxing.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntBinaryOperator;

/**
 * An app's users as the API sees them: they upload photos (PNG, several per request, with the tenant's
 * key), read the predicted class and, for some answers, send feedback naming the class they say is right.
 * What they say is decided by {@code says}: (true class, predicted class) to the class index sent back, or
 * -1 for no feedback.
 */
final class SimulatedUsers {
    private static final int IMAGES_PER_REQUEST = 25;
    private static final int USERS = 4;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;
    private final String deployment;

    /** What a round of use produced. */
    record Round(int predicted, int wrong, int feedback) {}

    SimulatedUsers(String base, String key, String deployment) {
        this.base = base;
        this.key = key;
        this.deployment = deployment;
    }

    /** The users predict the {@code indices} of {@code photos} and give feedback as {@code says} decides. */
    Round use(Photos photos, int[] indices, List<String> classes, IntBinaryOperator says) {
        AtomicInteger predicted = new AtomicInteger(), wrong = new AtomicInteger(), feedback = new AtomicInteger();
        ExecutorService users = Executors.newFixedThreadPool(USERS);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int start = 0; start < indices.length; start += IMAGES_PER_REQUEST) {
                int from = start, to = Math.min(indices.length, start + IMAGES_PER_REQUEST);
                work.add(users.submit(() -> {
                    List<Integer> truth = new ArrayList<>();
                    List<byte[]> uploads = new ArrayList<>();
                    for (int k = from; k < to; k++) {
                        uploads.add(photos.png(indices[k]));
                        truth.add(photos.label(indices[k]));
                    }
                    JsonNode answer = post("/v1/models/" + deployment + "/predict", uploads);
                    for (int k = 0; k < truth.size(); k++) {
                        JsonNode p = answer.get("predictions").get(k);
                        int guess = p.get("class").asInt();
                        predicted.incrementAndGet();
                        if (guess != truth.get(k)) wrong.incrementAndGet();
                        int said = says.applyAsInt(truth.get(k), guess);
                        if (said >= 0) {
                            feedback(p.get("id").asText(), classes.get(said));
                            feedback.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("a simulated user failed: " + e.getMessage(), e);
        } finally {
            users.shutdownNow();
        }
        return new Round(predicted.get(), wrong.get(), feedback.get());
    }

    private JsonNode post(String path, List<byte[]> photos) throws IOException, InterruptedException {
        String boundary = "moxing-demo-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < photos.size(); i++) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"photo" + i
                    + ".png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(photos.get(i));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private void feedback(String predictionId, String label) throws IOException, InterruptedException {
        String body = Json.line(java.util.Map.of("prediction_id", predictionId, "label", label));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/feedback")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("/v1/feedback answered " + r.statusCode() + ": " + r.body());
    }
}
