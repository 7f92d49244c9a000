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

    /**
     * A data directory of its own at {@code root} that reads this JVM's data sets (Fashion-MNIST imported once,
     * and a 3,000-image subset of it) through a link, for tests that train, serve or kill servers on their own state.
     */
    public static MoxingHome withSharedData(java.nio.file.Path root) {
        io.moxing.data.DatasetStore shared = new io.moxing.data.DatasetStore(home().datasets());
        var fashion = shared.resolveOrImportKnown("fashion-mnist");
        shared.subset(SMALL_FASHION, "fashion-mnist", fashion.manifest().classes(), 3000, 42);
        try {
            Files.createDirectories(root);
            Files.createSymbolicLink(root.resolve("datasets"), home().datasets());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new MoxingHome(root);
    }

    /** The 3,000-image subset of Fashion-MNIST that {@link #withSharedData} makes (its newest version). */
    public static final String SMALL_FASHION = "fashion-3000";

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
