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
        SearchData data = new SearchData(new DatasetStore(home.datasets()).resolve("gauss"), null);
        assertThrows(IllegalStateException.class, data::test, "sealed before the search");

        SearchResult r = new Search(home, System.err)
                .start(new SearchRequest("gauss", null, SearchMetric.ACCURACY, 600, 5, 9, 6, null, 128), data);

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
    void anImageSearchTrainsConvolutionalTrialsAndRegistersTheWinner() {
        MoxingHome home = SharedHome.withSharedData(tmp.resolve("images"));
        SearchResult r = new Search(home, System.err).start(new SearchRequest(
                SharedHome.SMALL_FASHION, "automl-fashion", SearchMetric.ACCURACY, 600, 11, 2, 2, 1500, 32));
        assertEquals(2, r.trials());
        assertEquals(1, r.version());
        // two random trials, two epochs of 1,500 images: the point is the path (images space, residual specs, test once), not the score
        assertTrue(r.bestTestAccuracy() > 0.15, "above chance (0.1, 10,000 test images) after two epochs: " + r.bestTestAccuracy());
        SearchState state = new SearchStore(home.root().resolve("automl")).load(r.search());
        assertTrue(state.trials().stream().allMatch(t -> t.settings() instanceof ImageSettings s && s.width() == 32));
        assertFalse(state.stoppedByBudget());
    }
}
