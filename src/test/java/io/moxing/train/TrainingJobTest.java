package io.moxing.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.SharedHome;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.eval.ModelEvaluation;
import io.moxing.model.Templates;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.Provenance;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingJobTest {
    @TempDir Path tmp;

    @Test
    void cnn28LearnsFromTwoThousandRealImagesInOneEpoch() throws Exception {
        TrainResult r = SharedHome.cnn();
        // chance is 0.10; one epoch on 2,000 images reaches about 0.7
        assertTrue(r.testAccuracy() > 0.6, "test accuracy " + r.testAccuracy());
        assertEquals(1, r.epochs());
        MoxingHome home = SharedHome.home();
        Path run = home.runs().resolve(r.runId());
        for (String f : new String[] {"run.json", "spec.json", "metrics.jsonl", "curves.png", "report.html", "eval.html",
                "confusion.png", "eval.json"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals("completed", Json.read(run.resolve("run.json"), RunRecord.class).status());
        ModelRegistry registry = new ModelRegistry(home.models());
        Provenance p = registry.provenance(r.model() + ":" + r.version());
        assertEquals("fashion-mnist", p.dataset().name());
        assertEquals(64, p.dataset().sha256().length());
        assertEquals(r.runId(), p.runId());
        assertEquals(693_962, p.parameters());
        assertEquals(r.testAccuracy(), p.metrics().get("test_accuracy"));
        assertNotNull(p.code().java());
        assertEquals(1, p.spec().path("training").path("epochs").asInt());
        // evaluating the registered version again gives the accuracy the run reported
        var again = new ModelEvaluation(home).run(r.model() + ":" + r.version(), "fashion-mnist", "test");
        assertEquals(r.testAccuracy(), again.result().accuracy(), 1e-9);
        assertTrue(Files.isRegularFile(again.report()));
    }

    @Test
    void toyMlpReproducesTheRecipeAndConvergesWithMoreEpochs() {
        TrainingJob job = new TrainingJob(new MoxingHome(tmp), new PrintStream(PrintStream.nullOutputStream()), false);
        TrainResult recipe = job.start(Templates.load("mlp-toy"), new TrainOptions(null, null, null, true));
        // the recipe's own settings cannot reach the article's 0.00001: about 0.22-0.24 after 100 epochs
        assertTrue(recipe.finalLoss() > 0.15 && recipe.finalLoss() < 0.3, "loss " + recipe.finalLoss());
        assertEquals(2, recipe.predictions().size());
        TrainResult longer = job.start(Templates.load("mlp-toy").withOverrides(5000, null, null, null),
                new TrainOptions(null, null, null, false));
        assertTrue(longer.finalLoss() < 0.01, "loss " + longer.finalLoss());
        assertTrue(longer.predictions().get(0)[0] > 0.9 && longer.predictions().get(1)[0] > 0.9);
        assertEquals(null, longer.version());
    }
}
