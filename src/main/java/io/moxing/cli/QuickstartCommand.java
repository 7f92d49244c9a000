package io.moxing.cli;

import io.moxing.data.DatasetManifest;
import io.moxing.data.DatasetStore;
import io.moxing.model.Templates;
import io.moxing.train.TrainOptions;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "The main job: import Fashion-MNIST, train cnn-28, evaluate it, register it, print where the report is.")
final class QuickstartCommand implements Runnable {
    @Option(names = "--epochs", description = "Epochs (default: the recipe's 10).") Integer epochs;
    @Option(names = "--json") boolean json;

    @Override
    public void run() {
        Output out = new Output(System.out, json);
        DatasetStore store = new DatasetStore(Main.home().datasets());
        DatasetManifest m = store.resolveOrImportKnown("fashion-mnist").manifest();
        out.line("data set %s: %s", m.ref(), m.splits());
        TrainingJob job = new TrainingJob(Main.home(), System.err, System.console() != null);
        TrainResult result = job.start(Templates.load("cnn-28").withOverrides(epochs, null, null, null),
                new TrainOptions(m.ref(), null, null, true));
        TrainCommand.print(out, result);
        out.line("next: moxing models show %s:%d   |   moxing predict %s --input IMAGE.png", result.model(),
                result.version(), result.model());
        out.result(result);
    }
}
