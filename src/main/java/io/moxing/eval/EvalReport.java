package io.moxing.eval;

import io.moxing.chart.Charts;
import io.moxing.chart.HtmlPage;
import io.moxing.chart.MatrixChart;
import io.moxing.core.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes an evaluation as {@code eval.json}, {@code confusion.png} and {@code eval.html} into a directory. */
public final class EvalReport {
    private EvalReport() {}

    /** Returns the HTML page's path. */
    public static Path write(Path dir, String title, EvalResult result) {
        AtomicFiles.writeJson(dir.resolve("eval.json"), result);
        HtmlPage page = new HtmlPage(title);
        page.paragraph(result.samples() + " samples of the " + result.split() + " split.");
        if (result.accuracy() != null) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("accuracy", f(result.accuracy())));
            rows.add(List.of("macro precision", f(result.macroPrecision())));
            rows.add(List.of("macro recall", f(result.macroRecall())));
            rows.add(List.of("macro F1", f(result.macroF1())));
            if (result.rocAuc() != null) rows.add(List.of("ROC-AUC", f(result.rocAuc())));
            page.table(List.of("metric", "value"), rows);
            BufferedImage confusion = MatrixChart.render("Confusion matrix", result.confusionMatrix(), result.labels());
            Charts.writePng(confusion, dir.resolve("confusion.png"));
            page.heading("Confusion matrix").image(confusion, "confusion matrix");
            page.heading("Per class");
            page.table(List.of("class", "precision", "recall", "F1", "support"), result.perClass().stream()
                    .map(c -> List.of(c.label(), f(c.precision()), f(c.recall()), f(c.f1()), Long.toString(c.support())))
                    .toList());
        } else {
            page.table(List.of("metric", "value"), List.of(List.of("MSE", f(result.mse())), List.of("MAE", f(result.mae())),
                    List.of("R²", result.r2() == null ? "n/a" : f(result.r2()))));
        }
        Path html = dir.resolve("eval.html");
        AtomicFiles.writeString(html, page.render());
        return html;
    }

    static String f(Double v) {
        return v == null ? "n/a" : String.format("%.4f", v);
    }
}
