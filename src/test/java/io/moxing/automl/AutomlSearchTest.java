package io.moxing.automl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.Task;
import io.moxing.data.DatasetStore;
import io.moxing.data.ImportOptions;
import io.moxing.registry.Provenance;
import io.moxing.train.RunDirectory;
import io.moxing.train.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole searches with real training on small data: a table with a known optimum, and Fashion-MNIST images. */
class AutomlSearchTest {
    @TempDir Path tmp;

    /** Imports a synthetic Gaussian table (half of it the test split) into {@code home} as {@code name}. */
    static GaussianProblem importGaussian(MoxingHome home, Path tmp, String name, int rows) {
        GaussianProblem problem = new GaussianProblem(10, 4, 2.0);
        Path csv = tmp.resolve(name + ".csv");
        problem.writeCsv(csv, rows, 7);
        new DatasetStore(home.datasets()).importFrom(new ImportOptions(name, csv, null, "label", List.of(), Task.CLASSIFICATION,
                ImportOptions.MissingPolicy.DROP, 1, 0.15, 0.5, "none", null, null, null, 0, List.of(), "%"));
        return problem;
    }

    @Test
    void aTableSearchComesWithinOnePointOfTheBayesAccuracyAndReadsTheTestSplitOnlyAtTheEnd() throws Exception {
        MoxingHome home = new MoxingHome(tmp.resolve("home"));
        GaussianProblem problem = importGaussian(home, tmp, "gauss", 24_000);
        assertEquals(0.8413, problem.bayesAccuracy(), 1e-4);
        SearchData data = new SearchData(new DatasetStore(home.datasets()).resolve("gauss"), null, null,
                FinalData.TRAIN_AND_VALIDATION);
        assertThrows(IllegalStateException.class, data::test, "sealed before the search");

        SearchResult r = new Search(home, System.err)
                .start(new SearchRequest("gauss", null, SearchMetric.ACCURACY, 600, 5, 9, 6, null, 128, null, 30, null, null), data);

        assertTrue(Math.abs(r.bestTestAccuracy() - problem.bayesAccuracy()) < 0.01,
                "test accuracy " + r.bestTestAccuracy() + " vs Bayes " + problem.bayesAccuracy());
        assertEquals(6, r.trials());
        assertTrue(r.stoppedEarly() >= 3, "most trials stop at a low rung: " + r.stoppedEarly());
        assertTrue(data.selectionOver());
        assertEquals(1, data.testReads(), "the test split was handed out once, for the winner");

        SearchState state = new SearchStore(home.root().resolve("automl")).load(r.search());
        for (Trial t : state.trials()) {
            var result = new RunDirectory(home.runs().resolve(t.runId())).read().result();
            assertEquals(t.id().equals(r.winner()), result.containsKey("test_accuracy"),
                    t.id() + ": only the winner's run was ever evaluated on the test split: " + result);
        }
        assertFalse(r.retrained(), "trials saw every row: the winner's trial run, validated at each epoch, is the model");
        assertEquals(r.winnerRun(), state.trial(r.winner()).runId());
        Provenance p = Json.read(home.models().resolve("automl-gauss").resolve("1").resolve("provenance.json"), Provenance.class);
        assertNotNull(p.search());
        assertEquals(r.search(), p.search().search());
        assertEquals(600, p.search().budgetSeconds());
        assertEquals("val_accuracy", p.search().metric());
        assertEquals(6, p.search().trials().size());
        assertEquals(r.winner(), p.search().winner());
        assertEquals("tables", p.search().space().get("kind").asText());
        assertTrue(p.search().trials().stream().allMatch(t -> t.settings().has("lr") && t.epochsReached() >= 1));
        assertEquals(9, p.search().trials().stream().filter(t -> t.id().equals(r.winner())).findFirst().orElseThrow()
                .epochsReached());
        assertTrue(Files.size(home.root().resolve("automl").resolve(r.search()).resolve("curves.png")) > 1000);
        assertTrue(Files.readString(home.root().resolve("automl").resolve(r.search()).resolve("report.html")).contains("Leaderboard"));
    }

    @Test
    void anImageSearchTrainsConvolutionalTrialsOnASubsetThenTheWinnerAgainOnAllTheTrainingData() throws Exception {
        MoxingHome home = SharedHome.withSharedData(tmp.resolve("images"));
        SearchResult r = new Search(home, System.err).start(new SearchRequest(
                SharedHome.SMALL_FASHION, "automl-fashion", SearchMetric.ACCURACY, 600, 11, 2, 2, null, 32, 1000, 2, FinalData.TRAIN_AND_VALIDATION, null));
        assertEquals(2, r.trials());
        assertEquals(1, r.version());
        // two random trials, two epochs: the point is the path (images space, subset, final training, test once), not the score
        assertTrue(r.bestTestAccuracy() > 0.15, "above chance (0.1, 10,000 test images) after two epochs: " + r.bestTestAccuracy());
        SearchState state = new SearchStore(home.root().resolve("automl")).load(r.search());
        assertTrue(state.trials().stream().allMatch(t -> t.settings() instanceof ImageSettings s && s.width() == 32));
        assertFalse(state.stoppedByBudget());

        assertTrue(r.retrained(), "trials saw 1,000 samples, the final model all 3,000 and the 6,000 of validation");
        assertEquals(9000, r.finalTrainSamples());
        assertEquals(2, r.finalEpochs(), "600 s leave room for the most final epochs asked for (2)");
        assertTrue(state.trials().stream().noneMatch(t -> t.runId().equals(r.winnerRun())), "the final run is a run of its own");
        RunRecord trial = new RunDirectory(home.runs().resolve(state.trial(r.winner()).runId())).read();
        RunRecord last = new RunDirectory(home.runs().resolve(r.winnerRun())).read();
        assertEquals(1000, trial.trainLimit(), "a trial trains on the search subset");
        assertEquals(9000, last.trainLimit(), "the final training on every training and validation sample");
        assertFalse(last.result().containsKey("val_accuracy"), "nothing left to validate the final run on: " + last.result());
        assertEquals(state.trial(r.winner()).lastMetric(), r.bestValidationAccuracy(), "the accuracy the winner was chosen on");
        assertTrue(r.trainedOnValidation());
        assertEquals("none", r.testTimeAugmentation(), "trained on the validation split too: nothing held out to decide"
                + " averaging with mirror images on");
        assertEquals("completed", last.status());
        assertFalse(trial.result().containsKey("test_accuracy"), "the trial run was never evaluated on the test split");
        Provenance p = Json.read(home.models().resolve("automl-fashion").resolve("1").resolve("provenance.json"), Provenance.class);
        assertEquals(r.winnerRun(), p.runId());
        assertTrue(p.search().method().contains("trained again on 9000 samples (train+validation) for 2 epochs"), p.search().method());
    }

    @Test
    void theFinalTrainingIsFittedToTheTimeLeftAndSkipsALeaderThatCannotHaveEnoughEpochs() {
        // trials: 10,000 samples per epoch, validation 6,000 (a third of the cost each), final: 54,000
        FinalPlan plan = new FinalPlan(600, 10_000, 54_000, 6_000, 6_000, 5, 30);
        Trial fast = measured("t001", 4.0);   // 4 s per trial epoch of 12,000 sample-equivalents -> 56,000: 18.7 s
        Trial slow = measured("t000", 16.0);  // 74.7 s per final epoch
        assertEquals(4.0 * 56 / 12, plan.finalEpochSeconds(fast), 1e-9);
        // trained on the validation split too: 60,000 samples, and no validation pass after each epoch
        assertEquals(4.0 * 60 / 12, new FinalPlan(600, 10_000, 60_000, 6_000, 0, 5, 30).finalEpochSeconds(fast), 1e-9);
        // 300 s with a 15% margin and a tenth of an epoch for the test evaluation: floor((300 - 2.15) / 21.47) = 13
        assertEquals(13, plan.epochsFitting(fast, 300));
        assertEquals(30, plan.epochsFitting(fast, 3000), "never more than asked for");
        assertEquals(3, plan.epochsFitting(slow, 300));
        var choice = plan.choose(List.of(slow, fast), 300, SearchMetric.ACCURACY).orElseThrow();
        assertEquals("t001", choice.trial().id(), "the leader would get 3 of the 5 epochs worth training: the next one is taken");
        assertTrue(plan.choose(List.of(slow), 300, SearchMetric.ACCURACY).isEmpty());
        assertTrue(plan.affordable(4.0), "5 final epochs of 18.7 s fit in the half of 600 s kept back");
        assertFalse(plan.affordable(16.0), "5 of 74.7 s do not");
        assertEquals(300, plan.reserve(null), 1e-9, "nothing measured: half the budget");
        assertEquals(300, plan.reserve(fast), 1e-9, "30 epochs of it would need more than half: half");
        assertEquals(0.5 * 56 / 12 * 1.15 * 30.1, plan.reserve(measured("t002", 0.5)), 1e-9, "30 epochs of a cheap one");
    }

    @Test
    void amongTrialsWithinOneStandardErrorOfTheBestTheOneWithTheMostFinalEpochsIsTrainedAgain() {
        FinalPlan plan = new FinalPlan(3600, 10_000, 54_000, 6_000, 6_000, 5, 30);
        // one standard error at 0.90 on 6,000 validation images: 0.39 points
        assertEquals(0.003873, FinalPlan.standardError(0.90, 6_000), 1e-6);
        Trial wide = measured("t028", 44.0, 0.9003);    // 205 s a final epoch: 7 in 1,800 s
        Trial deep = measured("t006", 10.0, 0.8980);    // 47 s: 30 (the most asked for)
        Trial mid = measured("t000", 20.0, 0.8972);     // 93 s: 16
        Trial behind = measured("t029", 5.0, 0.8947);   // more than one error behind: not a candidate
        List<Trial> ranked = List.of(wide, deep, mid, behind);
        var choice = plan.choose(ranked, 1800, SearchMetric.ACCURACY).orElseThrow();
        assertEquals("t006", choice.trial().id());
        assertEquals(30, choice.epochs());
        assertEquals("t028", plan.choose(ranked, 1800, SearchMetric.LOSS).orElseThrow().trial().id(),
                "a loss has no binomial error: the best is taken");
        assertEquals("t028", plan.choose(List.of(wide, behind), 1800, SearchMetric.ACCURACY).orElseThrow().trial().id());
    }

    private static Trial measured(String id, double secondsPerEpoch) {
        return measured(id, secondsPerEpoch, 0.8);
    }

    private static Trial measured(String id, double secondsPerEpoch, double accuracy) {
        return new Trial(id, null, "run-" + id, List.of(new Trial.RungResult(0, 1, accuracy, secondsPerEpoch)),
                Trial.Status.PAUSED, 1, null);
    }
}
