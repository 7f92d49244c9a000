package io.moxing.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.moxing.core.DeepLearning;
import io.moxing.data.Permutations;
import io.moxing.data.SplitData;
import io.moxing.model.CompiledModel;
import io.moxing.train.Optimizer;
import io.moxing.train.Optimizers;
import io.moxing.train.TensorData;
import io.moxing.train.Targets;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a student on a frozen teacher: for every batch the teacher's logits are computed first, in inference
 * mode and outside the gradient recorder (so no graph is kept and no teacher weight can change), then the student
 * takes one optimizer step on {@link DistillationLoss}. Batches, seeds, the optimizer and the learning-rate
 * schedule (laid over the epochs asked for) are the student spec's.
 */
final class Distillation {
    private final CompiledModel teacher;
    private final CompiledModel student;
    private final NDManager manager;
    private final DistillationLoss loss;

    Distillation(CompiledModel teacher, CompiledModel student, NDManager manager, DistillationLoss loss) {
        this.teacher = teacher;
        this.student = student;
        this.manager = manager;
        this.loss = loss;
    }

    void train(SplitData train, int epochs, PrintStream log) {
        DeepLearning.noGradientsOnThisThread();
        var training = student.spec().training();
        int batch = training.batchSize() == 0 ? train.count() : Math.min(training.batchSize(), train.count());
        Optimizer optimizer = Optimizers.create(student.spec().optimizer());
        var schedule = new io.moxing.train.LearningRateSchedule(student.spec().optimizer().learningRate(),
                student.spec().withOverrides(epochs, null, null, null).training());
        int batchesPerEpoch = (train.count() + batch - 1) / batch;
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        student.block().getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) trainable.put(p.getKey(), p.getValue());
        });
        ParameterStore teacherStore = new ParameterStore(manager, false);
        ParameterStore studentStore = new ParameterStore(manager, false);
        try (TensorData data = TensorData.of(manager, train, Targets.CLASS_INDEX)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long seed = training.seed() * 1_000_003L + epoch;
                DeepLearning.seed(seed);
                int[] order = Permutations.of(data.count(), seed);
                long start = System.nanoTime();
                double lossSum = 0;
                int seen = 0;
                long teacherRight = 0;
                long studentRight = 0;
                for (int from = 0; from + 1 < data.count(); from += batch) {
                    int to = Math.min(data.count(), from + batch);
                    long[] indices = new long[to - from];
                    for (int i = from; i < to; i++) indices[i - from] = order[i];
                    try (NDManager scratch = manager.newSubManager()) {
                        NDArray[] xy = data.gather(scratch, indices);
                        NDArray soft = teacher.block().forward(teacherStore, new NDList(xy[0]), false).singletonOrThrow();
                        NDArray value;
                        NDArray logits;
                        try (GradientCollector collector = DeepLearning.engine().newGradientCollector()) {
                            logits = student.block().forward(studentStore, new NDList(xy[0]), true).singletonOrThrow();
                            value = loss.evaluate(logits, soft, xy[1]);
                            collector.backward(value);
                        }
                        optimizer.step(trainable, schedule.at(epoch, from / batch, batchesPerEpoch), scratch);
                        teacherRight += Targets.CLASS_INDEX.correct(soft, xy[1]);
                        studentRight += Targets.CLASS_INDEX.correct(logits, xy[1]);
                        lossSum += value.getFloat() * indices.length;
                        seen += indices.length;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                // the teacher's accuracy on the batches says whether its targets are worth learning from
                log.printf("distill epoch %d/%d  loss %.4f  train accuracy %.4f (teacher %.4f)  %,.0f samples/s  %.1fs%n",
                        epoch + 1, epochs, lossSum / seen, studentRight / (double) seen, teacherRight / (double) seen,
                        seen / seconds, seconds);
            }
        }
    }
}
