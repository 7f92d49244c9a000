package io.moxing.cli;

import io.moxing.core.UserException;
import io.moxing.model.ModelSpec;
import io.moxing.model.Templates;
import io.moxing.train.TrainOptions;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a template or spec file, evaluate it and register the model.")
final class TrainCommand implements Runnable {
    @Parameters(index = "0", arity = "0..1", description = "Template name (mlp-toy, cnn-28) or spec JSON file.") String spec;
    @Option(names = "--data", description = "Data set NAME or NAME:VERSION (default: the spec's).") String data;
    @Option(names = "--epochs") Integer epochs;
    @Option(names = "--batch-size") Integer batchSize;
    @Option(names = "--lr", description = "Learning rate.") Double lr;
    @Option(names = "--seed") Long seed;
    @Option(names = "--name", description = "Registry name (default: the spec's name). All versions of a name have the"
            + " same classes, input and task; a model that differs needs a name of its own.") String name;
    @Option(names = "--limit", description = "Train on the first N training samples only.") Integer limit;
    @Option(names = "--no-register", description = "Do not register the trained model.") boolean noRegister;
    @Option(names = "--resume", description = "Continue an interrupted run from its last checkpoint.") String resume;
    @Option(names = "--json", description = "Print the result as JSON on the last line.") boolean json;

    @Override
    public void run() {
        Output out = new Output(System.out, json);
        TrainingJob job = new TrainingJob(Main.home(), System.err, System.console() != null);
        TrainResult result;
        if (resume != null) {
            if (spec != null || data != null || epochs != null || batchSize != null || lr != null || seed != null
                    || name != null || limit != null) {
                throw new UserException("invalid_option", "--resume continues a run exactly as it was started;"
                        + " give only the run id (moxing train --resume RUN_ID)");
            }
            result = job.resume(resume);
        } else {
            if (spec == null) {
                throw new UserException("missing_spec", "name a template or spec file to train, e.g. moxing train cnn-28");
            }
            if (limit != null && limit <= 0) {
                throw new UserException("invalid_option", "--limit " + limit + " must be positive");
            }
            ModelSpec base = Templates.resolve(spec);
            result = job.start(base.withOverrides(epochs, batchSize, lr, seed),
                    new TrainOptions(data, name, limit, !noRegister));
        }
        print(out, result);
        out.result(result);
    }

    static void print(Output out, TrainResult r) {
        out.line("run %s: %d epochs on %s%s", r.runId(), r.epochs(), r.dataset(), r.stoppedEarly() ? " (stopped early)" : "");
        out.line("final loss %.6f", r.finalLoss());
        if (r.testAccuracy() != null) out.line("test accuracy %.4f, macro F1 %.4f", r.testAccuracy(), r.testMacroF1());
        if (r.testMse() != null) out.line("test MSE %.6f", r.testMse());
        if (r.bigramPerplexity() != null && r.valPerplexity() != null) {
            double below = 100 * (1 - r.valPerplexity() / r.bigramPerplexity());
            out.line("validation perplexity %.2f vs character bigram %.2f on the same split (%.1f%% %s); test perplexity %s",
                    r.valPerplexity(), r.bigramPerplexity(), Math.abs(below), below >= 0 ? "below" : "above",
                    r.testPerplexity() == null ? "-" : String.format("%.2f", r.testPerplexity()));
            out.line("training: %,.0f tokens/s", r.trainTokensPerSecond());
        }
        if (r.predictions() != null) {
            for (int i = 0; i < r.probe().size(); i++) {
                out.line("prediction for %s: %s", java.util.Arrays.toString(r.probe().get(i)),
                        java.util.Arrays.toString(r.predictions().get(i)));
            }
        }
        if (r.version() != null) out.line("registered %s:%d", r.model(), r.version());
        out.line("report: %s", r.report());
    }
}
