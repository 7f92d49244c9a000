package io.moxing.automl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.model.TestTimeAugmentation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a search asks of its trials' specs about averaging with mirror images, and how a saved request reads. */
class AutomlTestTimeTest {

    private static ImageSettings settings(boolean flip) {
        return new ImageSettings(2, 16, true, false, 0.1, ImageSettings.Shift.NONE, flip, false, OptimizerChoice.ADAMW,
                1e-3, 1e-4, ScheduleChoice.COSINE_WARMUP, 64, ImageSettings.Head.POOL);
    }

    private static TrialSettings.TrialShape shape(TestTimeAugmentation t) {
        return new TrialSettings.TrialShape("s-t000", List.of(1, 28, 28), 10, 9, 42, t);
    }

    @Test
    void aTrialThatTrainsOnFlipsAsksForAutoUnlessTheSearchSaysNone() {
        assertEquals(TestTimeAugmentation.AUTO, settings(true).spec(shape(TestTimeAugmentation.AUTO)).testTimeAugmentation());
        assertEquals(TestTimeAugmentation.NONE, settings(true).spec(shape(TestTimeAugmentation.NONE)).testTimeAugmentation());
        // a network that never saw a flipped image is not asked: averaging with the mirror image would hurt it
        assertEquals(TestTimeAugmentation.NONE, settings(false).spec(shape(TestTimeAugmentation.AUTO)).testTimeAugmentation());
    }

    @Test
    void aNewRequestDecidesASavedOldOneResumesWithoutAndTheChoiceIsKept() throws Exception {
        SearchRequest fresh = new SearchRequest("fashion-mnist", "m", SearchMetric.ACCURACY, 600, 1, 9, null, null, 128,
                null, 30, null, null);
        assertEquals(TestTimeAugmentation.AUTO, fresh.testTimeAugmentation());
        var saved = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(fresh.resolved("m", 10_000));
        assertEquals("auto", saved.path("test_time_augmentation").asText(), saved.toString());
        assertEquals(TestTimeAugmentation.AUTO, Json.MAPPER.treeToValue(saved, SearchRequest.class).testTimeAugmentation());
        saved.remove("test_time_augmentation");
        assertEquals(TestTimeAugmentation.NONE, Json.MAPPER.treeToValue(saved, SearchRequest.class).testTimeAugmentation(),
                "a search saved before the choice existed goes on as it began: " + saved);
        UserException assumed = assertThrows(UserException.class, () -> new SearchRequest("fashion-mnist", "m",
                SearchMetric.ACCURACY, 600, 1, 9, null, null, 128, null, 30, null, TestTimeAugmentation.HORIZONTAL_FLIP));
        assertTrue(assumed.getMessage().contains("must be auto or none"), assumed.getMessage());
    }
}
