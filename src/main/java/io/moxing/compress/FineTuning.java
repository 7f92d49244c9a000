package io.moxing.compress;

import ai.djl.ndarray.NDManager;
import io.moxing.data.Augmenter;
import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.train.LearningRateSchedule;
import io.moxing.train.Losses;
import io.moxing.train.Optimizers;
import io.moxing.train.ProgressBar;
import io.moxing.train.Targets;
import io.moxing.train.TensorData;
import io.moxing.train.TrainingInputs;
import io.moxing.train.TrainingLoop;
import java.io.PrintStream;
import java.util.List;

/**
 * A pruned model's short fine-tune: the training loop of {@code moxing train}, for a few epochs on the source
 * version's own training split, with the spec's optimizer (at the learning rate given) and a fresh optimizer state. No validation pass: the
 * gate's test evaluation follows at once.
 */
final class FineTuning {
    private FineTuning() {}

    static void run(CompiledModel model, NDManager manager, TrainingInputs inputs, int epochs, double learningRate,
                    PrintStream log) {
        ModelSpec spec = model.spec().withOverrides(epochs, null, learningRate, null);
        Targets targets = Targets.of(spec);
        try (TensorData train = spec.training().augmentation() == null ? TensorData.of(manager, inputs.train(), targets)
                : TensorData.augmented(manager, inputs.train(), targets, new Augmenter(spec.training().augmentation()))) {
            new TrainingLoop(model.block(), manager, Losses.of(spec.loss()), Optimizers.create(spec.optimizer()),
                    spec.training(), new LearningRateSchedule(spec.optimizer().learningRate(), spec.training()), targets,
                    List.of(new ProgressBar(log, false, spec.training().logEvery())))
                    .run(train, null, List.of());
        }
    }
}
