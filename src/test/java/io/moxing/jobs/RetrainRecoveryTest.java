package io.moxing.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.ServeProcess;
import io.moxing.SharedHome;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.model.Templates;
import io.moxing.registry.ModelRegistry;
import io.moxing.retrain.GateMetric;
import io.moxing.retrain.RetrainingDecision;
import io.moxing.retrain.RetrainingPolicy;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.store.SqlFeedback;
import io.moxing.store.SqlJobs;
import io.moxing.store.SqlRetraining;
import io.moxing.train.RunDirectory;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retraining round started by a policy, as a job of {@code moxing serve}, survives {@code kill -9} of its
 * server mid fine-tuning: the next server resumes the same round (same feedback, same run from its
 * checkpoint), decides it once and registers one candidate.
 */
class RetrainRecoveryTest {
    @TempDir Path tmp;
    private static final Actor TEST = new Actor("test", "junit");
    private final HttpClient http = HttpClient.newHttpClient();
    private ServeProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) server.close();
    }

    @Test
    void aRetrainingJobKilledWithItsServerResumesAndDecidesOnce() throws Exception {
        MoxingHome home = SharedHome.withSharedData(tmp.resolve("home"));
        Dataset fashion = new DatasetStore(home.datasets()).resolve("fashion-mnist");
        String small = SharedHome.SMALL_FASHION;
        new TrainingJob(home, new PrintStream(PrintStream.nullOutputStream()), false)
                .start(Templates.load("cnn-28").withOverrides(1, null, null, null), new TrainOptions(small, "cnn-28", null, true));

        Database db = Database.open(null, home.database());
        new SqlFeedback(db).setLogDays("fash", 30);
        new SqlDeployments(db).put(DeploymentRequests.target("cnn-28:1", "fash", "production", 100, 16, 2, 1,
                new ModelRegistry(home.models())));
        new SqlRetraining(db).setPolicy(new RetrainingPolicy("fash", 10, GateMetric.ACCURACY, 0.5, 2.0, null, 4));
        BillingAdmin billing = SqlBilling.open(db);
        billing.createPlan(TEST, Plan.free("free", 1_000_000, 1_000, 1_000));
        billing.createTenant(TEST, "shop", null, "free", System.currentTimeMillis() - 1000);
        String key = billing.issueKey(TEST, "shop", null, null, null, null, null, System.currentTimeMillis()).plaintext();

        server = serve(home, "first");
        // users correct twelve predictions: the policy's threshold is ten
        for (int i = 0; i < 12; i++) {
            var image = fashion.image("train", 100 + i);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image.image(), "png", png);
            JsonNode answer = Json.MAPPER.readTree(send(server.port(), "/v1/models/fash/predict", key,
                    "{\"image\": \"" + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"}").body());
            String id = answer.at("/predictions/0/id").asText();
            HttpResponse<String> given = send(server.port(), "/v1/feedback", key, Json.line(Map.of("prediction_id", id,
                    "label", image.label())));
            assertEquals(201, given.statusCode(), given.body());
        }

        SqlJobs jobs = new SqlJobs(Database.open(null, home.database()));
        server.await(() -> retrainJob(jobs) != null && retrainJob(jobs).resumeRef() != null
                && retrainJob(jobs).resumeRef().contains("\"run\""), 90, "the policy queued a round that started its run");
        Job job = retrainJob(jobs);
        String runId = Json.MAPPER.readTree(job.resumeRef()).get("run").asText();
        RunDirectory run = new RunDirectory(home.runs().resolve(runId));
        server.await(() -> !run.checkpointDirs().isEmpty() && Files.exists(run.metrics()), 90,
                "an epoch of the fine-tuning was checkpointed");
        List<String> checkpointed = Files.readAllLines(run.metrics());
        assertTrue(checkpointed.size() < 4, "the kill comes before the last epoch: " + checkpointed);
        server.process().destroyForcibly(); // SIGKILL, mid fine-tuning
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(JobState.RUNNING, jobs.find(job.id()).orElseThrow().state(), "left running by the dead server");

        server = serve(home, "second");
        server.await(() -> jobs.find(job.id()).orElseThrow().state().finished(), 180, "the round finished");
        Job done = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state(), done.error());
        assertEquals(2, done.attempts(), "taken once by each server");
        assertEquals(List.of(job.id()), jobs.list(null, 100).stream().map(Job::id).toList(), "one job, never a second");
        List<RetrainingDecision> decisions = new SqlRetraining(db).decisions("fash", 10);
        assertEquals(1, decisions.size(), "decided once: " + decisions);
        assertEquals(job.id(), decisions.get(0).id());
        assertEquals("cnn-28:2", decisions.get(0).candidate());
        assertEquals(checkpointed, Files.readAllLines(run.metrics()).subList(0, checkpointed.size()),
                "the epochs before the kill came from the checkpoint, not from training again");
        try (Stream<Path> versions = Files.list(home.models().resolve("cnn-28"))) {
            assertEquals(List.of("1", "2"), versions.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().toList(), "exactly one candidate registered");
        }
    }

    private static Job retrainJob(SqlJobs jobs) {
        return jobs.list(null, 100).stream().filter(j -> j.kind() == JobKind.RETRAIN).findFirst().orElse(null);
    }

    private ServeProcess serve(MoxingHome home, String name) throws Exception {
        return ServeProcess.start(home.root(), tmp, name, Map.of(), "--port", "0", "--grpc-port", "-1", "--job-workers", "1");
    }

    private HttpResponse<String> send(int port, String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
