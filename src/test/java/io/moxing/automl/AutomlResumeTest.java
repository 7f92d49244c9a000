package io.moxing.automl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.MoxingHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moxing automl} in its own JVM, killed with SIGKILL in the middle of its search, then resumed with
 * {@code --resume}: the trial steps recorded before the kill are kept as they were (same runs, same
 * metrics, their epochs never trained again), the search completes its trials and registers one model.
 */
class AutomlResumeTest {
    @TempDir Path tmp;

    @Test
    void aSearchKilledMidwayResumesWithoutRepeatingAFinishedTrial() throws Exception {
        MoxingHome home = new MoxingHome(tmp.resolve("home"));
        AutomlSearchTest.importGaussian(home, tmp, "gauss", 12_000);
        Process search = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmoxing.home=" + home.root(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "io.moxing.cli.Main",
                "automl", "--data", "gauss", "--budget", "10m", "--trials", "6", "--max-epochs", "3", "--seed", "3")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("search.log").toFile()).start();
        SearchStore store = new SearchStore(home.root().resolve("automl"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        SearchState before = null;
        while (before == null || before.trials().stream().filter(t -> !t.rungs().isEmpty()).count() < 2
                || before.inFlight() == null) {
            assertTrue(System.nanoTime() < deadline && search.isAlive(), "two steps done and a third under way: "
                    + Files.readString(tmp.resolve("search.log")));
            Thread.sleep(20);
            before = store.ids().isEmpty() ? null : store.load(store.ids().get(0));
        }
        search.destroyForcibly(); // SIGKILL: no shutdown hook, mid-step
        assertTrue(search.waitFor(30, TimeUnit.SECONDS));
        before = store.load(before.id()); // the last state the dead process saved
        assertEquals(SearchState.Phase.SEARCHING, before.phase(), "killed before the search ended");
        Map<String, List<Trial.RungResult>> finished = before.trials().stream().filter(t -> !t.rungs().isEmpty())
                .collect(Collectors.toMap(Trial::id, Trial::rungs));
        Map<String, List<String>> curves = new java.util.HashMap<>();
        for (Trial t : before.trials()) {
            if (!t.rungs().isEmpty()) curves.put(t.id(), Files.readAllLines(home.runs().resolve(t.runId()).resolve("metrics.jsonl")));
        }

        SearchResult r = new Search(home, System.err).resume(before.id());

        SearchState after = store.load(before.id());
        assertEquals(SearchState.Phase.DONE, after.phase());
        assertEquals(6, r.trials());
        for (var e : finished.entrySet()) {
            Trial t = after.trial(e.getKey());
            assertEquals(before.trial(e.getKey()).runId(), t.runId(), "same run for " + t.id());
            assertEquals(e.getValue(), t.rungs().subList(0, e.getValue().size()),
                    t.id() + ": the steps done before the kill are kept, not measured again");
            List<String> now = Files.readAllLines(home.runs().resolve(t.runId()).resolve("metrics.jsonl"));
            assertEquals(curves.get(t.id()), now.subList(0, curves.get(t.id()).size()),
                    t.id() + ": its epochs came from the checkpoint, not from training again");
        }
        List<String> runIds = new ArrayList<>();
        try (Stream<Path> runs = Files.list(home.runs())) {
            runs.forEach(p -> runIds.add(p.getFileName().toString()));
        }
        assertEquals(after.trials().stream().map(Trial::runId).sorted().toList(), runIds.stream().sorted().toList(),
                "one run per trial: no trial was started twice");
        try (Stream<Path> versions = Files.list(home.models().resolve("automl-gauss"))) {
            assertEquals(List.of("1"), versions.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
        }
        assertEquals(r, new Search(home, System.err).resume(before.id()), "a finished search answers its result again");
    }

    @Test
    void aSearchKilledDuringItsFinalTrainingResumesThatRunFromItsCheckpoint() throws Exception {
        MoxingHome home = io.moxing.SharedHome.withSharedData(tmp.resolve("images"));
        Process search = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmoxing.home=" + home.root(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "io.moxing.cli.Main",
                "automl", "--data", io.moxing.SharedHome.SMALL_FASHION, "--budget", "10m", "--trials", "2", "--max-epochs", "1",
                "--search-limit", "500", "--max-final-epochs", "3", "--max-width", "32", "--seed", "5",
                "--final-data", "train+validation")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("final.log").toFile()).start();
        SearchStore store = new SearchStore(home.root().resolve("automl"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        SearchState before = null;
        Path curve = null;
        while (curve == null || !Files.exists(curve) || Files.readAllLines(curve).isEmpty()) {
            assertTrue(System.nanoTime() < deadline && search.isAlive(), "the final training under way, one epoch done: "
                    + Files.readString(tmp.resolve("final.log")));
            Thread.sleep(20);
            before = store.ids().isEmpty() ? null : store.load(store.ids().get(0));
            if (before != null && before.finalTraining() != null) {
                curve = home.runs().resolve(before.finalTraining().runId()).resolve("metrics.jsonl");
            }
        }
        search.destroyForcibly(); // SIGKILL during the final training
        assertTrue(search.waitFor(30, TimeUnit.SECONDS));
        before = store.load(before.id());
        SearchState.FinalTraining plan = before.finalTraining();
        assertTrue(plan.retrained(), "trials saw 500 images, the final model 3,000 and the validation images: " + plan);
        assertEquals(3, plan.epochs(), "10 minutes leave room for the 3 final epochs asked for");
        List<String> epochsBefore = Files.readAllLines(curve);
        // (epochs under a second are checkpointed together: on a machine that fast this fails rather than test nothing)
        assertTrue(epochsBefore.size() < 3, "killed before the final training ended: " + epochsBefore);

        var refused = assertThrows(io.moxing.core.UserException.class, () -> new io.moxing.train.TrainingJob(home,
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false).resume(plan.runId()),
                "moxing train --resume would continue it on the training split alone");
        assertEquals("run_of_a_search", refused.code(), refused.getMessage());

        SearchResult r = new Search(home, System.err).resume(before.id());

        assertEquals(plan.runId(), r.winnerRun(), "the same final run, continued");
        assertEquals(3, r.finalEpochs());
        List<String> epochsAfter = Files.readAllLines(curve);
        assertEquals(3, epochsAfter.size());
        // metrics.jsonl is rewritten only after a checkpoint is committed: every line seen before the kill was checkpointed
        assertEquals(epochsBefore, epochsAfter.subList(0, epochsBefore.size()),
                "the epochs checkpointed before the kill are kept, not trained again");
        try (Stream<Path> runs = Files.list(home.runs())) {
            assertEquals(3, runs.count(), "two trials and one final run: the final training was not started twice");
        }
        try (Stream<Path> versions = Files.list(home.models().resolve("automl-fashion-3000"))) {
            assertEquals(List.of("1"), versions.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
        }
    }
}
