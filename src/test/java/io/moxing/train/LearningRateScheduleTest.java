package io.moxing.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moxing.model.TrainingSpec;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    private static TrainingSpec spec(String schedule, double warmup) {
        return new TrainingSpec(10, 32, 1, schedule, warmup, 4, 0.5, 0, null, 0, 0, null);
    }

    @Test
    void stepCosineAndWarmup() {
        assertEquals(0.1, new LearningRateSchedule(0.1, spec("constant", 0)).at(9, 5, 10), 1e-12);
        assertEquals(0.05, new LearningRateSchedule(0.1, spec("step", 0)).at(4, 0, 10), 1e-12);
        assertEquals(0.025, new LearningRateSchedule(0.1, spec("step", 0)).at(8, 3, 10), 1e-12);
        assertEquals(0.1, new LearningRateSchedule(0.1, spec("cosine", 0)).at(0, 0, 10), 1e-12);
        assertEquals(0.05, new LearningRateSchedule(0.1, spec("cosine", 0)).at(5, 0, 10), 1e-12);
        // warm-up over 2 epochs: linear from lr/(2*batches) to lr
        assertEquals(0.1 * 0.1 / 2, new LearningRateSchedule(0.1, spec("constant", 2)).at(0, 0, 10), 1e-12);
        assertEquals(0.1 * 1.1 / 2, new LearningRateSchedule(0.1, spec("constant", 2)).at(1, 0, 10), 1e-12);
    }

    @Test
    void fewerEpochsKeepAWarmUpThatFitsAndShrinkOneThatDoesNot() {
        TrainingSpec thirty = new TrainingSpec(30, 64, 1, "cosine", 3, 4, 0.5, 0, null, 0, 0, null);
        assertEquals(3, thirty.with(10, null, null).warmupEpochs(), 1e-12, "3 of 10 epochs still fit: kept as written");
        // an AutoML final model (30 epochs, warm-up 3) pruned and fine-tuned for 1 epoch: its tenth, not a refusal
        assertEquals(0.1, thirty.with(1, null, null).warmupEpochs(), 1e-12);
        assertEquals(0.3, thirty.with(3, null, null).warmupEpochs(), 1e-12);
    }

    @Test
    void earlyStoppingDerivesItsStateFromHistory() {
        EarlyStopping stop = new EarlyStopping("val_loss", 2, 0);
        var h = new java.util.ArrayList<EpochMetrics>();
        for (double loss : new double[] {1.0, 0.8, 0.85, 0.9}) {
            h.add(new EpochMetrics(h.size() + 1, 1, null, loss, null, 0.1, 1, 1, null));
        }
        assertEquals(true, stop.shouldStop(h));
        assertEquals(false, stop.shouldStop(h.subList(0, 3)));
    }
}
