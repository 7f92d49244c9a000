package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.eval.EvaluateJobHandler;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobQueue;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import io.moxing.store.SqlJobs;
import io.moxing.train.TrainJobHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /admin/jobs on a server that runs no jobs itself: what is queued, and how a bad submission is answered. */
class JobRoutesTest {
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private ModelServer server;

    @BeforeEach
    void start() {
        MoxingHome home = new MoxingHome(tmp);
        Database db = Database.open(null, home.database());
        JobQueue jobs = new JobQueue(new SqlJobs(db)).register(JobKind.TRAIN, new TrainJobHandler(home))
                .register(JobKind.EVALUATE, new EvaluateJobHandler(home));
        server = new ModelServer(home, new SqlDeployments(db), new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 100),
                null, null, jobs).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String inMessage) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertTrue(error.get("message").asText().contains(inMessage), r.body());
    }

    @Test
    void jobsAreQueuedListedShownAndCancelled() throws Exception {
        HttpResponse<String> r = send("POST", "/admin/jobs", "{\"kind\": \"train\", \"params\": {\"spec\": \"mlp-toy\", \"epochs\": 2}}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode job = Json.MAPPER.readTree(r.body());
        String id = job.get("id").asText();
        assertEquals("queued", job.get("state").asText());
        assertEquals("train", job.get("kind").asText());
        assertEquals(2, job.get("params").get("epochs").asInt());
        assertTrue(job.get("created_at").asText().endsWith("Z"), "an ISO instant: " + job);

        JsonNode list = Json.MAPPER.readTree(send("GET", "/admin/jobs?state=queued", null).body()).get("jobs");
        assertEquals(1, list.size());
        JsonNode shown = Json.MAPPER.readTree(send("GET", "/admin/jobs/" + id, null).body());
        assertEquals(id, shown.get("id").asText());
        assertTrue(shown.get("log").isArray(), shown.toString());

        assertEquals("cancelled", Json.MAPPER.readTree(send("POST", "/admin/jobs/" + id + "/cancel", null).body()).get("state").asText());
        assertError(send("POST", "/admin/jobs/" + id + "/cancel", null), 409, "job_finished", "already cancelled");
        assertEquals(0, Json.MAPPER.readTree(send("GET", "/admin/jobs?state=queued", null).body()).get("jobs").size());
    }

    @Test
    void aBadSubmissionIsA4xxNamingTheField() throws Exception {
        assertError(send("POST", "/admin/jobs", "{\"params\": {}}"), 400, "missing_field", "\"kind\"");
        assertError(send("POST", "/admin/jobs", "{\"kind\": \"sleep\", \"params\": {}}"), 400, "invalid_kind", "train, evaluate");
        assertError(send("POST", "/admin/jobs", "{\"kind\": \"retrain\", \"params\": {}}"), 400, "unsupported_kind", "retrain");
        assertError(send("POST", "/admin/jobs", "{\"kind\": \"train\"}"), 400, "invalid_field", "\"params\"");
        assertError(send("POST", "/admin/jobs", "{\"kind\": \"train\", \"params\": {}}"), 400, "missing_field", "\"spec\"");
        assertError(send("POST", "/admin/jobs", "{\"kind\": \"train\", \"params\": {\"spec\": \"cnn-28\", \"epochs\": \"3\"}}"),
                400, "invalid_field", "\"epochs\"");
        assertError(send("POST", "/admin/jobs", "{\"kind\": \"train\", \"params\": {\"spec\": \"cnn-28\", \"limit\": 0}}"),
                400, "invalid_field", "\"limit\"");
        assertError(send("POST", "/admin/jobs", "{\"kind\": \"train\", \"params\": {\"spec\": \"no-such\"}}"),
                404, "unknown_template", "no-such"); // as everywhere: a name that names nothing

        assertError(send("POST", "/admin/jobs", "{\"kind\": \"evaluate\", \"params\": {\"model\": \"m\", \"data\": \"d\","
                + " \"split\": \"all\"}}"), 400, "invalid_field", "\"split\"");
        assertError(send("POST", "/admin/jobs", "[1]"), 400, "invalid_json", "object");
        assertError(send("GET", "/admin/jobs?limit=many", null), 400, "invalid_limit", "\"limit\"");
        assertError(send("GET", "/admin/jobs?state=done", null), 400, "invalid_state", "succeeded");
        assertError(send("GET", "/admin/jobs/job-nope", null), 404, "unknown_job", "job-nope");
        assertEquals(0, Json.MAPPER.readTree(send("GET", "/admin/jobs", null).body()).get("jobs").size(), "nothing was queued");
    }
}
