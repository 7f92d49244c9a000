package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.console.view.OperatorViews.RunRow;
import io.moxing.console.view.RunViews.Cell;
import io.moxing.console.view.RunViews.Confusion;
import io.moxing.console.view.RunViews.ConfusionRow;
import io.moxing.console.view.RunViews.EpochRow;
import io.moxing.console.view.CommonViews.Fact;
import io.moxing.console.view.RunViews.Run;
import io.moxing.console.view.RunViews.Runs;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.eval.EvalResult;
import io.moxing.registry.ModelVersion;
import io.moxing.train.EpochMetrics;
import io.moxing.train.RunDirectory;
import io.moxing.train.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's training runs: the list (newest first, paged; only the page's records are read) and a run's page,
 * whose learning curves are redrawn from {@code metrics.jsonl} every few seconds while it trains, with the confusion
 * matrix of the version it registered and its HTML report.
 */
final class RunPages {
    static final String LIST = "/console/ops/runs";
    /** Seconds between the run page's polls of its curves while it trains. */
    static final int POLL_SECONDS = 3;
    private final Path runsRoot;
    private final VersionFacts versions;
    private final Pages pages;

    RunPages(Path runsRoot, VersionFacts versions, Pages pages) {
        this.runsRoot = runsRoot;
        this.versions = versions;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(LIST, this::list);
        app.get(LIST + "/{id}", this::run);
        app.get(LIST + "/{id}/curves", this::curves);
        app.get(LIST + "/{id}/report", this::report);
    }

    private void list(Context ctx) {
        Paging paging = Paging.of(ctx);
        List<String> newestFirst = new ArrayList<>(RunDirectory.ids(runsRoot));
        java.util.Collections.reverse(newestFirst);
        List<String> probed = paging.slice(newestFirst);
        List<RunRow> rows = paging.shown(probed).stream().map(id -> row(new RunDirectory(runsRoot.resolve(id)).read())).toList();
        pages.render(ctx, "ops/runs.jte", new Runs(pages.frame(ctx, "Runs"), rows, paging.pager(ctx, LIST, probed)));
    }

    private void run(Context ctx) {
        RunDirectory dir = directory(ctx);
        RunRecord r = dir.read();
        List<EpochMetrics> history = dir.readMetrics();
        ModelVersion version = versions.ofRun(r.id()).orElse(null);
        Confusion confusion = version == null ? null : versions.evaluation(version.ref()).map(RunPages::confusion).orElse(null);
        List<Fact> facts = new ArrayList<>(List.of(new Fact("Model", r.model()),
                new Fact("Data set", r.dataset() == null ? "" : r.dataset().name() + ":" + r.dataset().version()),
                new Fact("Started", nz(r.startedAt())), new Fact("Updated", nz(r.updatedAt())),
                new Fact("Training time", String.format(Locale.ROOT, "%.1f s", r.trainingSeconds()))));
        if (r.machine() != null) {
            facts.add(new Fact("Machine", r.machine().cpu() + ", " + r.machine().cores() + " cores"));
            facts.add(new Fact("Code", r.machine().version() + " " + r.machine().commit()));
        }
        if (r.result() != null) {
            r.result().forEach((k, v) -> facts.add(new Fact(k, v instanceof Number n ? number(n.doubleValue()) : String.valueOf(v))));
        }
        List<EpochRow> epochs = history.stream().map(m -> new EpochRow(m.epoch(), number(m.trainLoss()), number(m.trainAccuracy()),
                number(m.valLoss()), number(m.valAccuracy()), String.format(Locale.ROOT, "%.1f", m.seconds()))).toList();
        String base = LIST + "/" + r.id();
        pages.render(ctx, "ops/run.jte", new Run(pages.frame(ctx, "Run " + r.id()), r.id(), r.status(), epochs(r), facts,
                running(r), curves(history).json(), base + "/curves", version == null ? null : version.ref(), confusion,
                Files.isRegularFile(dir.report()) ? base + "/report" : null, epochs));
    }

    /** The live part of a run's page, polled while it trains: the curves, its status and epochs, and whether it ended. */
    private void curves(Context ctx) {
        RunDirectory dir = directory(ctx);
        RunRecord r = dir.read();
        ctx.contentType("application/json").result(Json.line(Map.of(
                "charts", Map.of("curves", curves(dir.readMetrics())),
                "texts", Map.of("run-status", r.status(), "run-epochs", epochs(r),
                        "run-live", running(r) ? "Training: the curves follow each epoch as it ends." : "Training has ended."),
                "done", !running(r))));
    }

    /** The report the run wrote ({@code report.html}: its own inline style and images, no script). */
    private void report(Context ctx) {
        Path report = directory(ctx).report();
        if (!Files.isRegularFile(report)) throw ConsoleError.notFound("report of run " + ctx.pathParam("id") + " yet");
        ctx.header("Content-Security-Policy", InvoicePages.PRINT_POLICY);
        ctx.contentType("text/html; charset=utf-8").result(read(report));
    }

    /** A run's row in the lists (also the dashboard's). */
    static RunRow row(RunRecord r) {
        return new RunRow(r.id(), r.model(), r.dataset() == null ? "" : r.dataset().name(), r.status(), epochs(r),
                OperatorPages.percent(r.result() == null ? null : r.result().get("test_accuracy")), r.startedAt());
    }

    /**
     * Loss and accuracy by epoch on one linear axis, as the run's PNG draws them (a log axis would squeeze the
     * accuracies into its top decade); each epoch a marked point, and a series an epoch lacks has a gap there.
     */
    static ChartSpec curves(List<EpochMetrics> history) {
        List<String> labels = history.stream().map(m -> Integer.toString(m.epoch())).toList();
        List<ChartSpec.Series> series = new ArrayList<>();
        series.add(series("train loss", history.stream().map(EpochMetrics::trainLoss).toList()));
        if (history.stream().anyMatch(m -> m.valLoss() != null)) {
            series.add(series("validation loss", history.stream().map(EpochMetrics::valLoss).toList()));
        }
        if (history.stream().anyMatch(m -> m.trainAccuracy() != null)) {
            series.add(series("train accuracy", history.stream().map(EpochMetrics::trainAccuracy).toList()));
        }
        if (history.stream().anyMatch(m -> m.valAccuracy() != null)) {
            series.add(series("validation accuracy", history.stream().map(EpochMetrics::valAccuracy).toList()));
        }
        return new ChartSpec("line", labels, series, ChartSpec.Axis.of("epoch", ChartSpec.CATEGORY),
                ChartSpec.Axis.of("loss / accuracy", ChartSpec.LINEAR));
    }

    /** A confusion matrix as a table: each cell shaded by its share of the row's largest count. */
    static Confusion confusion(EvalResult e) {
        if (e.confusionMatrix() == null || e.labels() == null) return null;
        List<ConfusionRow> rows = new ArrayList<>();
        for (int i = 0; i < e.confusionMatrix().length; i++) {
            long[] counts = e.confusionMatrix()[i];
            long max = java.util.Arrays.stream(counts).max().orElse(0);
            List<Cell> cells = new ArrayList<>();
            for (long c : counts) cells.add(new Cell(c, max == 0 ? 0 : (int) Math.round(5.0 * c / max)));
            rows.add(new ConfusionRow(e.labels().get(i), cells));
        }
        String summary = String.format(Locale.ROOT, "accuracy %s, macro F1 %s on %d %s samples", number(e.accuracy()),
                number(e.macroF1()), e.samples(), e.split());
        return new Confusion(summary, e.labels(), rows);
    }

    private RunDirectory directory(Context ctx) {
        try {
            return RunDirectory.existing(runsRoot, ctx.pathParam("id"));
        } catch (UserException e) {
            throw ConsoleError.notFound("run " + ctx.pathParam("id"));
        }
    }

    private static ChartSpec.Series series(String label, List<Double> values) {
        return new ChartSpec.Series(label, values, null, true);
    }

    private static boolean running(RunRecord r) {
        return "running".equals(r.status());
    }

    private static String epochs(RunRecord r) {
        return r.epochsCompleted() + "/" + r.epochsPlanned();
    }

    /** Four decimals, or "" when there is no value. */
    static String number(Double v) {
        return v == null || !Double.isFinite(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
