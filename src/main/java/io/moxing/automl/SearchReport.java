package io.moxing.automl;

import io.moxing.chart.Charts;
import io.moxing.chart.HtmlPage;
import io.moxing.chart.LineChart;
import io.moxing.core.AtomicFiles;
import io.moxing.core.Json;
import io.moxing.train.EpochMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A search's leaderboard and its trials' curves (validation metric by epoch, one line per trial, read
 * from each trial's run): {@code curves.png} and {@code report.html} in the search's directory.
 */
public final class SearchReport {
    private SearchReport() {}

    /** One row of the leaderboard. */
    public record Row(String trial, String status, int epochs, Double metric, String run, String settings) {}

    /** Trials best first: the highest fidelity reached, then the metric there. */
    public static List<Row> leaderboard(SearchState state) {
        SearchMetric metric = state.request().metric();
        return state.trials().stream()
                .sorted(Comparator.comparing((Trial t) -> -t.topRung())
                        .thenComparing(Trial::lastMetric, metric::compareBestFirst).thenComparing(Trial::id))
                .map(t -> new Row(t.id(), Finish.outcome(t), t.epochs(), t.lastMetric(), t.runId(), t.settings().describe()))
                .toList();
    }

    public static void write(Path directory, SearchState state, Path runs) {
        BufferedImage curves = curves(state, runs);
        Charts.writePng(curves, directory.resolve("curves.png"));
        HtmlPage page = new HtmlPage("AutoML search " + state.id());
        page.paragraph(String.format("%d trials on %s, %s, %.0f s of a %d s budget, phase %s", state.trials().size(),
                state.datasetVersion(), "rungs " + state.asha().rungs() + " epochs", state.elapsedSeconds(),
                state.request().budgetSeconds(), state.phase().wireName()));
        if (state.result() != null) {
            page.paragraph("winner " + state.winner() + ": test accuracy " + state.result().bestTestAccuracy()
                    + ", registered " + state.result().model() + ":" + state.result().version());
        }
        page.heading("Validation " + state.request().metric().wireName() + " by epoch").image(curves, "trial curves");
        List<List<String>> rows = new ArrayList<>();
        for (Row r : leaderboard(state)) {
            rows.add(List.of(r.trial(), r.status(), Integer.toString(r.epochs()),
                    r.metric() == null ? "" : String.format("%.4f", r.metric()), r.settings()));
        }
        page.heading("Leaderboard").table(List.of("trial", "status", "epochs", state.request().metric().field(), "settings"),
                rows);
        AtomicFiles.writeString(directory.resolve("report.html"), page.render());
    }

    static BufferedImage curves(SearchState state, Path runs) {
        LineChart chart = new LineChart("Validation " + state.request().metric().wireName() + " of every trial", "epoch")
                .yScale(io.moxing.chart.Scale.LINEAR);
        for (Trial t : state.trials()) {
            List<EpochMetrics> history = history(runs, t.runId());
            if (history.isEmpty()) continue;
            chart.series(t.id(), history.stream().mapToDouble(m -> {
                Double v = state.request().metric().of(m);
                return v == null ? Double.NaN : v;
            }).toArray());
        }
        return chart.render(900, 480);
    }

    /** A trial's epochs as its run logged them (empty before its first checkpoint). */
    static List<EpochMetrics> history(Path runs, String runId) {
        if (runId == null) return List.of();
        Path file = runs.resolve(runId).resolve("metrics.jsonl");
        if (!Files.isRegularFile(file)) return List.of();
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> Json.parse(l, EpochMetrics.class))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
