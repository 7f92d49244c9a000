package io.moxing;

import io.moxing.core.MoxingHome;
import io.moxing.model.Templates;
import io.moxing.train.TrainOptions;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One data directory per test JVM with Fashion-MNIST imported and cnn-28 trained once on a 2,000-image
 * slice for one epoch, shared by the tests that need a trained model.
 */
public final class SharedHome {
    private static MoxingHome home;
    private static TrainResult cnn;
    private static TrainResult poet;

    private SharedHome() {}

    public static synchronized MoxingHome home() {
        if (home == null) {
            try {
                home = new MoxingHome(Files.createTempDirectory("moxing-test-home"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return home;
    }

    public static synchronized TrainResult cnn() {
        if (cnn == null) {
            cnn = new TrainingJob(home(), new PrintStream(PrintStream.nullOutputStream()), false)
                    .start(Templates.load("cnn-28").withOverrides(1, null, null, null),
                            new TrainOptions("fashion-mnist", null, 2000, true));
        }
        return cnn;
    }

    /**
     * A tiny transformer-lm ("poet") trained for one epoch on 24 entries of the Tang poems in fortunes-zh,
     * imported as a user imports a corpus: enough to write (badly) and to count tokens.
     */
    public static synchronized TrainResult poet() {
        if (poet == null) {
            new io.moxing.data.DatasetStore(home().datasets()).importFrom(new io.moxing.data.ImportOptions("poems",
                    java.nio.file.Path.of("/usr/share/games/fortunes/tang300"), "text", null, null, null,
                    io.moxing.data.ImportOptions.MissingPolicy.DROP, 42, 0.1, 0.1, null, null, null, null, 0, null, "%"));
            poet = new TrainingJob(home(), new PrintStream(PrintStream.nullOutputStream()), false)
                    .start(Templates.load("transformer-lm").withOverrides(1, null, null, null),
                            new TrainOptions("poems", "poet", 24, true));
        }
        return poet;
    }
}
