package io.moxing.bench;

import io.moxing.core.DeepLearning;
import io.moxing.predict.LoadedModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The served model, loaded in the bench process and run on batches of one repeated sample: the yardstick
 * for the server's throughput, and the model's own share of the server's CPU time per request.
 */
final class InProcessModel implements AutoCloseable {
    private final LoadedModel model;
    private final float[] sample;
    /** CPU nanoseconds of one batch, by batch size. */
    private final Map<Integer, Double> batchCpuNanos = new HashMap<>();

    InProcessModel(Path versionDir, float[] sample) {
        this.model = LoadedModel.load(versionDir);
        this.sample = sample;
    }

    /** Images per second (wall clock) over about {@code images} images in full batches of {@code batch}. */
    double imagesPerSecond(int images, int batch) {
        float[] packed = batchOf(batch);
        int batches = Math.max(1, images / batch);
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) model.predict(packed, batch);
        return batches * (double) batch / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The model's CPU time per image on one intra-op thread, in microseconds, when the server's batches held
     * {@code meanBatch} images on average. A batch costs a fixed part plus a part per image, so the cost of a
     * batch of a fractional size is interpolated between the two whole sizes around it, then shared by its
     * images.
     */
    double cpuMicrosPerImage(double meanBatch) {
        int below = Math.max(1, (int) Math.floor(meanBatch));
        int above = Math.max(1, (int) Math.ceil(meanBatch));
        double fraction = above == below ? 0 : meanBatch - below;
        double batchNanos = (1 - fraction) * batchCpuNanos(below) + fraction * batchCpuNanos(above);
        return batchNanos / Math.max(1, meanBatch) / 1000;
    }

    /**
     * On one intra-op thread the model runs on the calling thread alone, so this thread's CPU clock sees
     * all of it and nothing else of this JVM. (On several threads, each waits for the others by spinning,
     * and a sibling preempted by another process makes the rest spin on: measured on a busy two-core
     * machine, 660-1,250 µs of process CPU per image on two threads against a steady 114-136 µs on one.)
     */
    private double batchCpuNanos(int batch) {
        return batchCpuNanos.computeIfAbsent(batch, size -> DeepLearning.withIntraOpThreads(1, () -> {
            float[] packed = batchOf(size);
            for (int i = 0; i < 10; i++) model.predict(packed, size);
            int runs = Math.max(20, 4096 / size);
            ThreadMXBean clock = ManagementFactory.getThreadMXBean();
            long before = clock.getCurrentThreadCpuTime();
            for (int i = 0; i < runs; i++) model.predict(packed, size);
            return (clock.getCurrentThreadCpuTime() - before) / (double) runs;
        }));
    }

    private float[] batchOf(int batch) {
        float[] packed = new float[sample.length * batch];
        for (int i = 0; i < batch; i++) System.arraycopy(sample, 0, packed, i * sample.length, sample.length);
        return packed;
    }

    @Override
    public void close() {
        model.close();
    }
}
