package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.AuditLog;
import io.moxing.console.view.CommonViews.Fact;
import io.moxing.console.view.SystemViews.JobRow;
import io.moxing.console.view.SystemViews.Jobs;
import io.moxing.core.UserException;
import io.moxing.jobs.Job;
import io.moxing.jobs.JobDetail;
import io.moxing.jobs.JobQueue;
import io.moxing.jobs.JobState;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Background jobs (training, evaluation, retraining rounds): the list with each one's state and progress, filtered by
 * state and paged; a job's page with the tail of its log; and cancelling one, audited as {@code POST
 * /admin/jobs/ID/cancel} is. A server started without jobs shows the section saying so.
 */
final class JobPages {
    static final String LIST = "/console/ops/jobs";
    /** Log lines a job's page shows, its newest, as {@code GET /admin/jobs/ID} does. */
    static final int LOG_TAIL = 200;
    private final Optional<JobQueue> jobs;
    private final AuditLog audit;
    private final Pages pages;

    JobPages(Optional<JobQueue> jobs, AuditLog audit, Pages pages) {
        this.jobs = jobs;
        this.audit = audit;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(LIST, this::list);
        app.get(LIST + "/{id}", this::job);
        app.post(LIST + "/{id}/cancel", ctx -> pages.act(ctx, LIST + "/" + ctx.pathParam("id"), () -> cancel(ctx)));
    }

    private void list(Context ctx) {
        List<String> states = Arrays.stream(JobState.values()).map(JobState::wireName).toList();
        String asked = ctx.queryParam("state");
        JobState state = asked == null || asked.isBlank() || !states.contains(asked) ? null : JobState.parse(asked);
        if (jobs.isEmpty()) {
            pages.render(ctx, "ops/jobs.jte", new Jobs(pages.frame(ctx, "Jobs"), false, "", states, List.of(), null));
            return;
        }
        Paging paging = Paging.of(ctx);
        // the store pages from the newest; a deep page asks for the rows before it too, a few hundred at most
        List<Job> upTo = jobs.get().list(state, paging.offset() + paging.probe());
        List<Job> probed = upTo.subList(Math.min(upTo.size(), paging.offset()), upTo.size());
        pages.render(ctx, "ops/jobs.jte", new Jobs(pages.frame(ctx, "Jobs"), true, state == null ? "" : state.wireName(),
                states, paging.shown(probed).stream().map(JobPages::row).toList(), paging.pager(ctx, LIST, probed)));
    }

    private void job(Context ctx) {
        JobDetail d = detail(ctx);
        Job j = d.job();
        List<Fact> facts = List.of(new Fact("Parameters", String.valueOf(j.params())), new Fact("Attempts", Integer.toString(j.attempts())),
                new Fact("Created", String.valueOf(j.createdAt())), new Fact("Started", j.startedAt() == null ? "" : j.startedAt().toString()),
                new Fact("Finished", j.finishedAt() == null ? "" : j.finishedAt().toString()),
                new Fact("Resumes from", j.resumeRef() == null ? "" : j.resumeRef()),
                new Fact("Result", j.result() == null ? "" : j.result().toString()), new Fact("Error", j.error() == null ? "" : j.error()));
        pages.render(ctx, "ops/job.jte", new io.moxing.console.view.SystemViews.Job(pages.frame(ctx, "Job " + j.id()), row(j),
                facts, d.log().stream().map(l -> l.at() + "  " + l.line()).toList()));
    }

    private String cancel(Context ctx) {
        Job job = queue().cancel(detail(ctx).job().id());
        audit.append(Pages.actor(ctx), "job.cancel", job.id(), job.state().wireName());
        return job.state() == JobState.CANCELLED ? "Cancelled " + job.id() + "."
                : "Asked " + job.id() + " to stop; it stops at its next batch.";
    }

    private JobDetail detail(Context ctx) {
        try {
            return queue().detail(ctx.pathParam("id"), LOG_TAIL);
        } catch (UserException e) {
            throw ConsoleError.notFound("job " + ctx.pathParam("id"));
        }
    }

    private JobQueue queue() {
        return jobs.orElseThrow(() -> ConsoleError.notFound("background jobs on this server"));
    }

    static JobRow row(Job j) {
        return new JobRow(j.id(), j.kind().wireName(), j.state().wireName() + (j.cancelRequested() && !j.state().finished()
                ? " (stopping)" : ""), j.progress() == null ? -1 : (int) Math.round(j.progress() * 100),
                j.progressMessage() == null ? "" : j.progressMessage(), String.valueOf(j.createdAt()), !j.state().finished());
    }
}
