package io.moxing.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.ServeProcess;
import io.moxing.SharedHome;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.store.Database;
import io.moxing.store.SqlJobs;
import io.moxing.train.RunDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of a durable job, kept against a real {@code kill -9}: a training job of {@code moxing serve}
 * whose server dies mid-run is resumed by the next server from its last checkpoint, finishes once and
 * registers one model version.
 */
class JobRecoveryTest {
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private ServeProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) server.close();
    }

    @Test
    void aTrainingJobKilledWithItsServerResumesFromItsCheckpointOnTheNextAndRegistersOnce() throws Exception {
        MoxingHome home = SharedHome.withSharedData(tmp.resolve("home"));

        int port = serve(home, "first");
        String token = Files.readString(home.secrets().resolve("admin-token")).strip();
        HttpResponse<String> submitted = post(port, "/admin/jobs", token, "{\"kind\": \"train\", \"params\": {\"spec\": \"cnn-28\","
                + " \"data\": \"fashion-mnist\", \"epochs\": 3, \"limit\": 1500, \"name\": \"job-resumed\"}}");
        assertEquals(201, submitted.statusCode(), submitted.body());
        String id = Json.MAPPER.readTree(submitted.body()).get("id").asText();

        SqlJobs jobs = new SqlJobs(Database.open(null, home.database()));
        server.await(() -> jobs.find(id).orElseThrow().resumeRef() != null, 60, "the job remembered its run");
        RunDirectory run = new RunDirectory(home.runs().resolve(jobs.find(id).orElseThrow().resumeRef()));
        server.await(() -> !run.checkpointDirs().isEmpty() && Files.exists(run.metrics()), 90, "an epoch was checkpointed");
        // the metrics log is rewritten with each checkpoint: these epochs must never be trained again
        List<String> checkpointed = Files.readAllLines(run.metrics());
        assertTrue(checkpointed.size() < 3, "the kill comes before the last epoch: " + checkpointed);
        Thread.sleep(300); // inside the next epoch
        long killedPid = server.process().pid();
        server.process().destroyForcibly(); // SIGKILL: no shutdown hook, no chance to put the job back
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
        Job interrupted = jobs.find(id).orElseThrow();
        assertEquals(JobState.RUNNING, interrupted.state(), "left running by the dead server");
        assertTrue(interrupted.owner().contains("/" + killedPid + "/"), interrupted.owner());

        port = serve(home, "second");
        server.await(() -> jobs.find(id).orElseThrow().state().finished(), 120, "the job finished");
        Job done = jobs.find(id).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state(), done.error());
        assertEquals(2, done.attempts(), "taken once by each server");
        assertEquals(run.path().getFileName().toString(), done.resumeRef(), "resumed the same run");
        assertEquals(1, done.result().get("version").asInt(), done.result().toString());
        assertEquals(List.of(id), jobs.list(null, 100).stream().map(Job::id).toList(), "one job, never a second");

        List<String> metrics = Files.readAllLines(run.metrics());
        assertEquals(3, metrics.size());
        assertEquals(checkpointed, metrics.subList(0, checkpointed.size()),
                "the epochs before the kill came from the checkpoint (their times and losses unchanged), not from training again");
        assertEquals("completed", run.read().status());
        try (Stream<Path> versions = Files.list(home.models().resolve("job-resumed"))) {
            assertEquals(List.of("1"), versions.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList(),
                    "exactly one version registered");
        }
        JsonNode shown = Json.MAPPER.readTree(get(port, "/admin/jobs/" + id, token).body());
        assertEquals("succeeded", shown.get("state").asText());
        String log = shown.get("log").toString();
        assertTrue(log.contains("resumed from " + done.resumeRef()) && log.contains("resuming after epoch"), log);
        assertTrue(server.log().contains("was interrupted (its server process"), server.log());
    }

    /** Starts {@code moxing serve} on {@code home} (one job worker, random port) and returns the port once it listens. */
    private int serve(MoxingHome home, String name) throws Exception {
        server = ServeProcess.start(home.root(), tmp, name, java.util.Map.of(), "--port", "0", "--grpc-port", "-1",
                "--job-workers", "1");
        return server.port();
    }

    private HttpResponse<String> post(int port, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
