package io.moxing.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.moxing.core.DeepLearning;
import io.moxing.data.Permutations;
import io.moxing.model.TrainingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: shuffled mini-batches, forward, loss, backward, clipping, optimizer step, then
 * validation and the listeners, epoch after epoch. Each step's temporaries live in a scratch manager
 * closed at the end of the step, so memory stays flat. The shuffle and dropout of epoch e are seeded
 * from (seed, e), which makes a run resumed from a checkpoint follow the same path as one never stopped.
 */
public final class TrainingLoop {
    private final Block block;
    private final NDManager manager;
    private final Loss loss;
    private final Optimizer optimizer;
    private final TrainingSpec training;
    private final LearningRateSchedule schedule;
    private final Targets targets;
    private final List<TrainingListener> listeners;
    private final ParameterStore store;

    public TrainingLoop(Block block, NDManager manager, Loss loss, Optimizer optimizer, TrainingSpec training,
                        LearningRateSchedule schedule, Targets targets, List<TrainingListener> listeners) {
        this.block = block;
        this.manager = manager;
        this.loss = loss;
        this.optimizer = optimizer;
        this.training = training;
        this.schedule = schedule;
        this.targets = targets;
        this.listeners = List.copyOf(listeners);
        this.store = new ParameterStore(manager, false);
    }

    /** Trains from {@code history.size()} completed epochs up to the spec's epoch count; returns the full history. */
    public List<EpochMetrics> run(TensorData train, TensorData validation, List<EpochMetrics> history) {
        return run(train, validation, history, training.epochs());
    }

    /**
     * Trains up to epoch {@code untilEpoch} of the spec's, no further: one stage of a run that a search
     * lengthens as it promotes it. The learning-rate schedule still spans all the spec's epochs, so the
     * stages together follow the path of one uninterrupted run.
     */
    public List<EpochMetrics> run(TensorData train, TensorData validation, List<EpochMetrics> history, int untilEpoch) {
        int last = Math.min(training.epochs(), untilEpoch);
        DeepLearning.noGradientsOnThisThread();
        List<EpochMetrics> done = new ArrayList<>(history);
        int batchSize = training.batchSize() == 0 ? train.count() : Math.min(training.batchSize(), train.count());
        // a last batch of one sample has no batch statistics (batch norm cannot train on it): skip it
        int batches = (train.count() + batchSize - 1) / batchSize
                - (train.count() > batchSize && train.count() % batchSize == 1 ? 1 : 0);
        Map<String, Parameter> trainable = trainableParameters();
        // the listeners see the stage's end as the end: the checkpoint saves it whatever the epochs took
        listeners.forEach(l -> l.onStart(done.size(), last, batches, train.count()));
        for (int epoch = done.size(); epoch < last; epoch++) {
            if (listeners.stream().anyMatch(l -> l.shouldStop(done))) {
                break;
            }
            DeepLearning.seed(training.seed() * 1_000_003L + epoch);
            train.reseed(training.seed() * 1_000_003L + epoch);
            int[] order = training.batchSize() == 0 ? identity(train.count())
                    : Permutations.of(train.count(), training.seed() * 1_000_003L + epoch);
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            double lr = schedule.base();
            int trained = 0;
            int skippedInARow = 0;
            int counted = 0;
            int skipped = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize;
                int to = Math.min(train.count(), from + batchSize);
                long[] indices = new long[to - from];
                for (int i = from; i < to; i++) indices[i - from] = order[i];
                lr = schedule.at(epoch, b, batches);
                Step step = trainBatch(train, indices, lr, trainable);
                skippedInARow = step.skipped() ? skippedInARow + 1 : 0;
                skipped += step.skipped() ? 1 : 0;
                if (skippedInARow > MAX_SKIPPED_STEPS || (step.skipped() && b == batches - 1 && counted == 0)) {
                    throw new io.moxing.core.UserException("diverged", "training diverged at epoch " + (epoch + 1)
                            + ", batch " + (b + 1) + " (loss " + step.loss() + ", " + skippedInARow
                            + " steps in a row overflowed); lower the learning rate (--lr) or set training.gradient_clip");
                }
                if (step.skipped()) {
                    continue;
                }
                lossSum += step.loss() * indices.length;
                correct += step.correct();
                counted += indices.length;
                trained = to;
                double seen = counted;
                double rate = seen / ((System.nanoTime() - start) / 1e9);
                for (TrainingListener l : listeners) l.onBatch(epoch, b, lossSum / seen, rate);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation.Score val = validation == null ? null
                    : Evaluation.score(block, store, manager, validation, loss, targets);
            EpochMetrics metrics = new EpochMetrics(epoch + 1, lossSum / counted,
                    targets.hasAccuracy() ? (double) correct / counted : null,
                    val == null ? null : val.loss(), val == null ? null : val.accuracy(), lr, seconds,
                    trained / seconds, skipped > 0 ? skipped : null);
            done.add(metrics);
            for (TrainingListener l : listeners) l.onEpoch(metrics, List.copyOf(done));
        }
        listeners.forEach(l -> l.onEnd(List.copyOf(done)));
        return done;
    }

    /**
     * One optimisation step's mean loss, for classification the count of correct predictions, and
     * whether the update was skipped because the gradients overflowed.
     */
    public record Step(double loss, long correct, boolean skipped) {}

    /** Consecutive overflowed steps after which training is declared diverged. */
    private static final int MAX_SKIPPED_STEPS = 20;

    /**
     * One optimisation step on the samples at {@code indices}: forward, loss, backward, clipping and
     * the optimizer update. Temporaries are freed before it returns.
     */
    public Step trainBatch(TensorData data, long[] indices, double lr, Map<String, Parameter> trainable) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray[] batch = data.gather(scratch, indices);
            NDArray value;
            NDList out;
            try (GradientCollector collector = DeepLearning.engine().newGradientCollector()) {
                out = block.forward(store, new NDList(batch[0]), true);
                value = loss.evaluate(new NDList(batch[1]), out);
                collector.backward(value);
            }
            long correct = targets.correct(out.singletonOrThrow(), batch[1]);
            double lossValue = value.getFloat();
            if (!Double.isFinite(lossValue)) {
                optimizer.skip(trainable);
                return new Step(lossValue, correct, true);
            }
            if (training.gradientClip() > 0) {
                double norm = Gradients.clipGlobalNorm(trainable.values(), training.gradientClip(), scratch);
                if (!Double.isFinite(norm)) {
                    // an overflowed gradient would turn every weight it touches into NaN: skip the step
                    optimizer.skip(trainable);
                    return new Step(lossValue, correct, true);
                }
            }
            optimizer.step(trainable, lr, scratch);
            return new Step(lossValue, correct, false);
        }
    }

    /** The parameters the optimizer updates, by their path in the block. */
    public Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (var pair : block.getParameters()) {
            if (pair.getValue().requiresGradient()) {
                out.put(pair.getKey(), pair.getValue());
            }
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}
