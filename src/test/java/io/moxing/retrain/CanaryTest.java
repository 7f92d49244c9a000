package io.moxing.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.feedback.FeedbackExport;
import io.moxing.feedback.FeedbackSeal;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.model.Templates;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.store.SqlFeedback;
import io.moxing.store.SqlRetraining;
import io.moxing.train.TrainOptions;
import io.moxing.train.TrainingJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A policy with a canary: a candidate that passes the frozen gate first serves a share of the traffic, and
 * the next round promotes it only if the corrections users gave meanwhile agree; sabotaged corrections
 * retire it and production stays.
 */
class CanaryTest {
    /**
     * Not a @TempDir: the server's pollers may reopen its SQLite files for a moment after it closed, and JUnit fails
     * a test whose directory changed while it deleted it. Removed at the end, best effort.
     */
    private Path tmp;
    private static final Actor TEST = new Actor("test", "junit");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCanaryIsRetiredBySabotageAndPromotedByHonestCorrections() throws Exception {
        tmp = Files.createTempDirectory("moxing-canary-test");
        try {
            run();
        } finally {
            try {
                io.moxing.core.AtomicFiles.deleteRecursively(tmp); // the data-set link is removed, not followed
            } catch (RuntimeException e) {
                System.err.println("left behind: " + tmp + " (" + e.getMessage() + ")");
            }
        }
    }

    private void run() throws Exception {
        MoxingHome home = SharedHome.withSharedData(tmp.resolve("home"));
        Dataset fashion = new DatasetStore(home.datasets()).resolve("fashion-mnist");
        String small = SharedHome.SMALL_FASHION;
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        // production is weak (300 images, one epoch): a candidate fine-tuned on the 3,000 is better beyond doubt, so
        // the honest round can only promote it, and a few hundred corrections are enough to show it
        new TrainingJob(home, quiet, false).start(Templates.load("cnn-28").withOverrides(1, null, null, null),
                new TrainOptions(small, "cnn-28", 300, true));

        Database db = Database.open(null, home.database());
        SqlDeployments deployments = new SqlDeployments(db);
        SqlFeedback feedback = new SqlFeedback(db);
        SqlRetraining retraining = new SqlRetraining(db);
        ModelRegistry registry = new ModelRegistry(home.models());
        feedback.setLogDays("fash", 30);
        deployments.put(DeploymentRequests.target("cnn-28:1", "fash", "production", 100, 16, 2, 1, registry));
        retraining.setPolicy(new RetrainingPolicy("fash", 20, GateMetric.ACCURACY, 0.5, 100.0, 20, 2));
        BillingAdmin billing = SqlBilling.open(db);
        billing.createPlan(TEST, Plan.free("free", 1_000_000, 1_000, 1_000));
        billing.createTenant(TEST, "shop", null, "free", System.currentTimeMillis() - 1000);
        String key = billing.issueKey(TEST, "shop", null, null, null, null, null, System.currentTimeMillis()).plaintext();
        Retrainer retrainer = new Retrainer(home, new FeedbackExport(feedback, FeedbackSeal.of(home), registry, home.datasets(),
                deployments), retraining, deployments, quiet);
        List<String> classes = fashion.manifest().classes();

        try (ModelServer server = new ModelServer(home, deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 50)
                .withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS), billing, feedback, null).start()) {
            String base = "http://127.0.0.1:" + server.port();
            correct(base, key, fashion, 20_000, 200, i -> i);
            RetrainingDecision first = retrainAfterMargin(retrainer);
            assertFalse(first.promoted(), first.reason());
            assertTrue(first.reason().startsWith("canary at 20%"), first.reason());
            assertEquals(List.of("canary:cnn-28:2:20", "production:cnn-28:1:80"), targets(deployments));

            server.reconcile();
            correct(base, key, fashion, 21_000, 120, truth -> (truth + 1) % classes.size()); // every label wrong
            RetrainingDecision judged = retrainAfterMargin(retrainer);
            assertFalse(judged.promoted(), judged.reason());
            assertTrue(judged.reason().startsWith("canary cnn-28:2 retired"), judged.reason());
            assertEquals(List.of("production:cnn-28:1:100"), targets(deployments));

            server.reconcile();
            correct(base, key, fashion, 22_000, 200, i -> i);
            RetrainingDecision again = retrainAfterMargin(retrainer);
            assertTrue(again.reason().startsWith("canary at 20%"), again.reason());
            server.reconcile();
            correct(base, key, fashion, 23_000, 200, i -> i);
            RetrainingDecision promoted = retrainAfterMargin(retrainer);
            assertTrue(promoted.promoted(), promoted.reason() + " " + Json.line(promoted.evidence()));
            assertEquals(List.of("production:" + again.candidate() + ":100"), targets(deployments));
        }
    }

    /** A round takes feedback given until a moment just behind it: the corrections just sent must age into it. */
    private static RetrainingDecision retrainAfterMargin(Retrainer retrainer) throws InterruptedException {
        Thread.sleep(Retrainer.COMMIT_MARGIN_MS + 200);
        return retrainer.retrain("fash");
    }

    private static List<String> targets(SqlDeployments deployments) {
        return deployments.list().stream().filter(t -> t.deployment().equals("fash")).map(CanaryTest::describe).sorted().toList();
    }

    private static String describe(DeploymentTarget t) {
        return t.alias() + ":" + t.modelRef() + ":" + t.weight();
    }

    /** Users predict {@code count} training images from {@code first} on and label each as {@code says} their true class. */
    private void correct(String base, String key, Dataset data, int first, int count, IntUnaryOperator says) throws Exception {
        List<String> classes = data.manifest().classes();
        for (int i = first; i < first + count; i++) {
            var image = data.image("train", i);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image.image(), "png", png);
            HttpResponse<String> answer = post(base + "/v1/models/fash/predict", key,
                    "{\"image\": \"" + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"}");
            assertEquals(200, answer.statusCode(), answer.body());
            String id = Json.MAPPER.readTree(answer.body()).at("/predictions/0/id").asText();
            String label = classes.get(says.applyAsInt(classes.indexOf(image.label())));
            HttpResponse<String> given = post(base + "/v1/feedback", key, Json.line(Map.of("prediction_id", id, "label", label)));
            assertEquals(201, given.statusCode(), given.body());
        }
    }

    private HttpResponse<String> post(String url, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
