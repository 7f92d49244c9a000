package io.moxing.compress;

import io.moxing.SharedHome;
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
 * One data directory for the compression tests (this JVM's Fashion-MNIST through {@link SharedHome#withSharedData})
 * with cnn-28 trained once for one epoch on the 3,000-image subset: the teacher and original every test compresses.
 * Its test split is the full 10,000 images, so every accuracy here is measured on real data.
 */
final class CompressFixture {
    private static MoxingHome home;
    private static TrainResult original;

    private CompressFixture() {}

    static synchronized MoxingHome home() {
        if (home == null) {
            try {
                home = SharedHome.withSharedData(Files.createTempDirectory("moxing-compress").resolve("home"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return home;
    }

    /** cnn-28:1 of the fixture's home. */
    static synchronized String original() {
        if (original == null) {
            original = new TrainingJob(home(), new PrintStream(PrintStream.nullOutputStream()), false)
                    .start(Templates.load("cnn-28").withOverrides(1, null, null, null),
                            new TrainOptions(SharedHome.SMALL_FASHION, null, null, true));
        }
        return original.model() + ":" + original.version();
    }

    private static CompressionResult int8;

    /** The original compressed to int8 once (default gate), for the tests that look at an int8 version. */
    static synchronized CompressionResult int8() {
        if (int8 == null) {
            int8 = compressor().compress(original(), new CompressionMethod.Int8(), new AccuracyGate(0.5));
        }
        return int8;
    }

    /** What a command printed on stdout and its exit code. */
    record Cli(int exit, String[] lines) {
        com.fasterxml.jackson.databind.JsonNode lastJson() throws IOException {
            return io.moxing.core.Json.MAPPER.readTree(lines[lines.length - 1]);
        }
    }

    /** Runs {@code moxing ARGS} on the fixture's home, as a user would, with stdout captured and stderr dropped. */
    static Cli cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setProperty("moxing.home", home().root().toString());
        try {
            System.setOut(new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new PrintStream(PrintStream.nullOutputStream()));
            int exit = io.moxing.cli.Main.run(args);
            return new Cli(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8).strip().split("\n"));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.clearProperty("moxing.home");
        }
    }

    static Compressor compressor() {
        return new Compressor(home(), new PrintStream(PrintStream.nullOutputStream()));
    }
}
