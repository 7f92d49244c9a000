package io.moxing.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.model.Templates;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResumeTest {

    @Test
    void resumesAfterKillNineDuringTheSecondEpoch() throws Exception {
        MoxingHome home = SharedHome.home();
        SharedHome.cnn(); // the data set is imported
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmoxing.home=" + home.root(), "-cp", classpath, "io.moxing.cli.Main",
                "train", "cnn-28", "--data", "fashion-mnist", "--limit", "6000", "--epochs", "3", "--name", "resumed")
                .redirectErrorStream(true).redirectOutput(new File(home.root().resolve("killed.log").toString())).start();
        Path run = waitForRun(home.runs(), "cnn-28", p);
        Path firstCheckpoint = run.resolve("checkpoints/epoch-00001/state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(firstCheckpoint) && System.nanoTime() < deadline && p.isAlive()) Thread.sleep(20);
        assertTrue(Files.exists(firstCheckpoint), "epoch 1 was checkpointed: " + Files.readString(home.root().resolve("killed.log")));
        Thread.sleep(500); // well inside epoch 2
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        RunRecord killed = Json.read(run.resolve("run.json"), RunRecord.class);
        assertEquals("running", killed.status());
        assertEquals(1, killed.epochsCompleted());

        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        TrainResult resumed = new TrainingJob(home, quiet, false).resume(run.getFileName().toString());
        assertEquals(3, resumed.epochs());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        assertEquals("completed", Json.read(run.resolve("run.json"), RunRecord.class).status());

        TrainResult straight = new TrainingJob(home, quiet, false).start(
                Templates.load("cnn-28").withOverrides(3, null, null, null),
                new TrainOptions("fashion-mnist", "straight", 6000, true));
        assertEquals(straight.testAccuracy(), resumed.testAccuracy(), 0.005,
                "resumed " + resumed.testAccuracy() + " vs uninterrupted " + straight.testAccuracy());
        // the same path, not merely a similar result: restored moments and per-epoch seeds give the same losses
        List<String> straightLines = Files.readAllLines(home.runs().resolve(straight.runId()).resolve("metrics.jsonl"));
        for (int epoch = 0; epoch < 3; epoch++) {
            double a = Json.MAPPER.readTree(lines.get(epoch)).path("train_loss").asDouble();
            double b = Json.MAPPER.readTree(straightLines.get(epoch)).path("train_loss").asDouble();
            assertEquals(b, a, 2e-3, "epoch " + (epoch + 1) + " train loss");
        }
    }

    @Test
    void aLimitBeyondTheTrainingSamplesDoesNotMakeARunLookLikeASearchs(@org.junit.jupiter.api.io.TempDir Path tmp) {
        MoxingHome home = SharedHome.withSharedData(tmp);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        // a limit of 100,000 on a data set of a few thousand images: recorded as asked, all of them trained on
        TrainResult done = new TrainingJob(home, quiet, false).start(Templates.load("cnn-28").withOverrides(1, null, null, null),
                new TrainOptions(SharedHome.SMALL_FASHION, "limited", 100_000, false));
        RunDirectory run = RunDirectory.existing(home.runs(), done.runId());
        RunRecord record = run.read();
        assertEquals(100_000, record.trainLimit());
        // as if killed before its record said it was done: moxing train --resume continues it, as any user's run
        run.write(record.progress("running", 0, record.trainingSeconds(), null));
        TrainResult resumed = new TrainingJob(home, quiet, false).resume(done.runId());
        assertEquals(1, resumed.epochs());
        assertEquals("completed", run.read().status());
    }

    private static Path waitForRun(Path runs, String prefix, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.isDirectory(runs)) {
                try (Stream<Path> s = Files.list(runs)) {
                    var found = s.filter(d -> d.getFileName().toString().startsWith(prefix))
                            .filter(d -> Files.exists(d.resolve("run.json")))
                            .filter(d -> Json.read(d.resolve("run.json"), RunRecord.class).model().equals("resumed"))
                            .findFirst();
                    if (found.isPresent()) return found.get();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the run did not start");
    }
}
