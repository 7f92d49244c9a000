package io.moxing.console.view;

import io.moxing.console.view.RunViews.Confusion;
import io.moxing.console.view.CommonViews.Fact;
import java.util.List;

/** The operator's model versions: the list, one version's card and evaluation, two versions side by side. */
public final class ModelViews {
    private ModelViews() {}

    /** @param refs every version (MODEL:VERSION), newest first, for the compare form */
    public record Models(Frame frame, List<VersionRow> versions, Pager pager, List<String> refs) {}

    public record VersionRow(String ref, String href, String task, String createdAt, String parameters, String accuracy,
                             String runId) {}

    /**
     * @param parents the versions it was fine-tuned from, as links; empty when trained from scratch
     * @param spec    the spec it was trained with, as pretty JSON; null for an imported version
     */
    public record Version(Frame frame, String ref, List<Fact> card, List<String> classes, List<Fact> metrics,
                          List<Fact> provenance, List<Link> parents, String runId, String spec, List<ClassRow> perClass,
                          Confusion confusion, List<String> refs) {}

    public record Link(String text, String href) {}

    public record ClassRow(String label, String precision, String recall, String f1, long support) {}

    /**
     * Two versions side by side.
     *
     * @param metrics  every metric either has
     * @param perClass F1 of every class either knows
     */
    public record Compare(Frame frame, String a, String b, List<Link> links, List<Diff> metrics, List<Diff> perClass,
                          List<String> refs) {}

    /**
     * One row of a comparison.
     *
     * @param verdict better, worse or same: how b does against a (by the metric's direction), "" when one lacks it
     */
    public record Diff(String name, String a, String b, String delta, String verdict) {}
}
