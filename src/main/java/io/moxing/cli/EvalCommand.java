package io.moxing.cli;

import io.moxing.eval.ModelEvaluation;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a registered model on a data set: JSON, and an HTML report with the confusion matrix.")
final class EvalCommand implements Runnable {
    @Parameters(index = "0", description = "MODEL or MODEL:VERSION") String model;
    @Option(names = "--data", required = true, description = "Data set NAME or NAME:VERSION.") String data;
    @Option(names = "--split", defaultValue = "test", description = "train, validation or test.") String split;
    @Option(names = "--json") boolean json;

    @Override
    public void run() {
        Output out = new Output(System.out, json);
        ModelEvaluation.Outcome o = new ModelEvaluation(Main.home()).run(model, data, split);
        var r = o.result();
        out.line("%s on %s (%s, %d samples)", o.model(), o.dataset(), split, r.samples());
        if (r.accuracy() != null) {
            out.line("accuracy %.4f  macro precision %.4f  macro recall %.4f  macro F1 %.4f%s", r.accuracy(),
                    r.macroPrecision(), r.macroRecall(), r.macroF1(), r.rocAuc() == null ? "" : String.format("  ROC-AUC %.4f", r.rocAuc()));
            r.perClass().forEach(c -> out.line("  %-14s precision %.4f recall %.4f F1 %.4f support %d", c.label(),
                    c.precision(), c.recall(), c.f1(), c.support()));
        } else {
            out.line("MSE %.6f  MAE %.6f", r.mse(), r.mae());
        }
        out.line("report: %s", o.report());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", o.model());
        result.put("dataset", o.dataset());
        result.put("report", o.report().toString());
        result.put("eval", r);
        out.result(result);
    }
}
