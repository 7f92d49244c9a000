package io.moxing.train;

import io.moxing.chart.Charts;
import io.moxing.chart.HtmlPage;
import io.moxing.chart.LineChart;
import io.moxing.chart.MatrixChart;
import io.moxing.core.AtomicFiles;
import io.moxing.eval.EvalResult;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** A run's pictures and page: {@code curves.png} and {@code report.html} in the run directory. */
final class RunReport {
    private RunReport() {}

    static void write(RunDirectory run, RunRecord record, List<EpochMetrics> history, EvalResult eval) {
        BufferedImage curves = curves(history);
        Charts.writePng(curves, run.curves());
        HtmlPage page = new HtmlPage("Run " + record.id());
        page.table(List.of("", ""), List.of(
                List.of("model", record.model()),
                List.of("data set", record.dataset().name() + ":" + record.dataset().version()),
                List.of("status", record.status()),
                List.of("epochs", record.epochsCompleted() + " of " + record.epochsPlanned()),
                List.of("training time", String.format("%.1f s", record.trainingSeconds())),
                List.of("machine", record.machine().cpu() + ", " + record.machine().cores() + " cores"),
                List.of("code", record.machine().version() + " " + record.machine().commit())));
        page.heading("Training curves").image(curves, "training curves");
        if (eval != null && eval.accuracy() != null) {
            page.heading("Evaluation on the " + eval.split() + " split");
            page.paragraph(String.format("accuracy %.4f, macro F1 %.4f", eval.accuracy(), eval.macroF1()));
            page.image(MatrixChart.render("Confusion matrix", eval.confusionMatrix(), eval.labels()), "confusion matrix");
        } else if (eval != null) {
            page.heading("Evaluation on the " + eval.split() + " split");
            page.paragraph(String.format("MSE %.6f, MAE %.6f", eval.mse(), eval.mae()));
        }
        page.heading("Epochs");
        List<List<String>> rows = new ArrayList<>();
        for (EpochMetrics m : history) {
            rows.add(List.of(Integer.toString(m.epoch()), f(m.trainLoss()), f(m.trainAccuracy()), f(m.valLoss()),
                    f(m.valAccuracy()), String.format("%.2e", m.learningRate()), String.format("%,.0f", m.samplesPerSecond())));
        }
        page.table(List.of("epoch", "loss", "accuracy", "val loss", "val accuracy", "lr", "samples/s"), rows);
        AtomicFiles.writeString(run.report(), page.render());
    }

    static BufferedImage curves(List<EpochMetrics> history) {
        int n = history.size();
        double[] loss = new double[n], valLoss = new double[n], acc = new double[n], valAcc = new double[n];
        for (int i = 0; i < n; i++) {
            EpochMetrics m = history.get(i);
            loss[i] = m.trainLoss();
            valLoss[i] = m.valLoss() == null ? Double.NaN : m.valLoss();
            acc[i] = m.trainAccuracy() == null ? Double.NaN : m.trainAccuracy();
            valAcc[i] = m.valAccuracy() == null ? Double.NaN : m.valAccuracy();
        }
        // linear: loss and accuracy share the axis, and a log one would squeeze the accuracies into its top decade
        LineChart chart = new LineChart("Loss and accuracy by epoch", "epoch").yScale(io.moxing.chart.Scale.LINEAR)
                .series("train loss", loss);
        if (history.stream().anyMatch(m -> m.valLoss() != null)) chart.series("validation loss", valLoss);
        if (history.stream().anyMatch(m -> m.trainAccuracy() != null)) chart.series("train accuracy", acc);
        if (history.stream().anyMatch(m -> m.valAccuracy() != null)) chart.series("validation accuracy", valAcc);
        return chart.render(800, 420);
    }

    private static String f(Double v) {
        return v == null ? "" : String.format("%.4f", v);
    }
}
