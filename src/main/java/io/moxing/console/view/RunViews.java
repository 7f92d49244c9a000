package io.moxing.console.view;

import io.moxing.console.view.CommonViews.Fact;
import io.moxing.console.view.OperatorViews.RunRow;
import java.util.List;

/** The operator's training runs and model versions: lists, a run's curves, a version's card, two versions compared. */
public final class RunViews {
    private RunViews() {}

    public record Runs(Frame frame, List<RunRow> runs, Pager pager) {}

    /**
     * @param live        true while the run trains: the page polls {@code curvesHref} for new epochs
     * @param curves      the learning curves as a chart spec (JSON), drawn at once and redrawn by each poll
     * @param modelRef    the version the run registered, or null
     * @param confusion   the registered version's confusion matrix, or null
     * @param reportHref  the run's HTML report, or null before it is written
     */
    public record Run(Frame frame, String id, String status, String epochs, List<Fact> facts, boolean live, String curves,
                      String curvesHref, String modelRef, Confusion confusion, String reportHref, List<EpochRow> history) {}

    public record EpochRow(int epoch, String loss, String accuracy, String valLoss, String valAccuracy, String seconds) {}

    /**
     * @param summary what the evaluation found ("accuracy 0.8123, macro F1 0.8011 on 10000 test samples")
     * @param rows    one per true class
     */
    public record Confusion(String summary, List<String> labels, List<ConfusionRow> rows) {}

    public record ConfusionRow(String label, List<Cell> cells) {}

    /** @param shade 0 (none of the row) to 5 (the row's largest count), drawn as the cell's background */
    public record Cell(long count, int shade) {}
}
