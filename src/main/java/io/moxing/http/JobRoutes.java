package io.moxing.http;

import static io.moxing.core.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.jobs.Job;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobQueue;
import io.moxing.jobs.JobState;
import java.util.Map;

/**
 * The admin API of background jobs: list, show (with the log's tail), submit, cancel. Behind the admin
 * token like every /admin route; submissions and cancellations are audited when the server meters.
 */
final class JobRoutes {
    /** Log lines shown with a job. */
    static final int LOG_TAIL = 50;
    private final JobQueue jobs;
    private final BillingGate gate;
    private final long maxBodyBytes;

    JobRoutes(JobQueue jobs, BillingGate gate, long maxBodyBytes) {
        this.jobs = jobs;
        this.gate = gate;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.get("/admin/jobs", ctx -> {
            String state = ctx.queryParam("state");
            ModelServer.json(ctx, 200, Map.of("jobs", jobs.list(state == null ? null : JobState.parse(state),
                    LimitParameter.of(ctx, 100, 10_000))));
        });
        app.get("/admin/jobs/{id}", ctx -> ModelServer.json(ctx, 200, jobs.detail(ctx.pathParam("id"), LOG_TAIL)));
        app.post("/admin/jobs", ctx -> {
            JsonNode b = RequestDecoder.json(BodyReader.readBlocking(ctx.req(), maxBodyBytes));
            if (!b.isObject()) throw new ApiError(400, "invalid_json", "the body must be a JSON object: {\"kind\", \"params\"}");
            Job job = jobs.submit(JobKind.parse(text(b, "kind", true)), b.get("params"));
            audit(ctx, "job.submit", job.id(), job.kind().wireName() + " " + job.params());
            ModelServer.json(ctx, 201, job);
        });
        app.post("/admin/jobs/{id}/cancel", ctx -> {
            Job job = jobs.cancel(ctx.pathParam("id"));
            audit(ctx, "job.cancel", job.id(), job.state().wireName());
            ModelServer.json(ctx, 200, job);
        });
    }

    private void audit(Context ctx, String action, String target, String detail) {
        if (gate != null) gate.billing().audit().append(ctx.attribute("actor"), action, target, detail);
    }
}
