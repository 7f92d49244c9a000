package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.console.view.SystemViews.Feedback;
import io.moxing.console.view.SystemViews.FeedbackGroup;
import io.moxing.console.view.SystemViews.FeedbackRow;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.feedback.FeedbackBook;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The newest feedback on each deployment: what {@code moxing feedback show} shows of an item (label, rating, the
 * PII-redacted comment), never the logged input it refers to. A server that keeps no feedback shows the section
 * saying so.
 */
final class FeedbackPages {
    static final String PATH = "/console/ops/feedback";
    /** Items shown per deployment, the newest. */
    static final int LATEST = 10;
    private final Optional<FeedbackBook> book;
    private final Deployments deployments;
    private final Pages pages;

    FeedbackPages(Optional<FeedbackBook> book, Deployments deployments, Pages pages) {
        this.book = book;
        this.deployments = deployments;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(PATH, ctx -> {
            List<FeedbackGroup> groups = book.map(b -> deployments.list().stream().map(DeploymentTarget::deployment).distinct()
                    .sorted().map(d -> new FeedbackGroup(d, b.latest(d, LATEST).stream().map(FeedbackPages::row).toList()))
                    .toList()).orElse(List.of());
            pages.render(ctx, "ops/feedback.jte", new Feedback(pages.frame(ctx, "Feedback"), book.isPresent(), groups));
        });
    }

    private static FeedbackRow row(io.moxing.feedback.Feedback f) {
        return new FeedbackRow(f.id(), f.predictionId(), f.tenant(), f.model() + ":" + f.version(), nz(f.label()),
                f.rating() == null ? "" : f.rating().toString(), nz(f.comment()), Instant.ofEpochMilli(f.atMs()).toString());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
