package io.moxing.console.view;

import java.util.List;

/** The operator's pages about the server itself: background jobs, feedback, the audit log, health. */
public final class SystemViews {
    private SystemViews() {}

    /**
     * @param actions the actions offered in the filter's list
     * @param intact  whether the hash chain verified; {@code chain} says so in words
     */
    public record Audit(Frame frame, String from, String to, String actor, String action, List<String> actions,
                        boolean intact, String chain, List<AuditRow> entries, Pager pager) {}

    public record AuditRow(long seq, String at, String actor, String source, String action, String target, String detail) {}

    /** @param offered false when the server was started without background jobs (the page says so) */
    public record Jobs(Frame frame, boolean offered, String state, List<String> states, List<JobRow> jobs, Pager pager) {}

    /** @param progress 0-100, or -1 before the job reports any; {@code cancellable} while queued or running */
    public record JobRow(String id, String kind, String state, int progress, String message, String createdAt,
                         boolean cancellable) {}

    public record Job(Frame frame, JobRow job, List<CommonViews.Fact> facts, List<String> log) {}

    /** @param offered false when the server keeps no feedback */
    public record Feedback(Frame frame, boolean offered, List<FeedbackGroup> deployments) {}

    public record FeedbackGroup(String deployment, List<FeedbackRow> items) {}

    /** What {@code moxing feedback show} shows of an item: never the logged input. */
    public record FeedbackRow(String id, String predictionId, String tenant, String version, String label, String rating,
                              String comment, String at) {}

    /** @param series the live route the charts are redrawn from */
    public record Health(Frame frame, String series, int everySeconds, int windowMinutes) {}
}
