package io.moxing.serve;

import io.moxing.deploy.DeploymentTarget;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A deployment target loaded and answering: its model in memory and the batcher in front of it. */
final class LiveTarget implements AutoCloseable {
    private volatile DeploymentTarget target;
    private final LoadedModel model;
    private final DynamicBatcher batcher;
    private final double loadSeconds;
    /** Language models write token by token, one request per worker, outside the batcher. */
    private final java.util.concurrent.ThreadPoolExecutor writers;

    private LiveTarget(DeploymentTarget target, LoadedModel model, DynamicBatcher batcher, double loadSeconds, int queueCapacity) {
        this.target = target;
        this.model = model;
        this.batcher = batcher;
        this.loadSeconds = loadSeconds;
        this.writers = !isLanguageModel(model) ? null : new java.util.concurrent.ThreadPoolExecutor(target.workers(), target.workers(),
                0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "writer-" + target.deployment() + "-" + target.alias());
                    t.setDaemon(true);
                    return t;
                });
    }

    private static boolean isLanguageModel(LoadedModel model) {
        return model.card().task().equals(io.moxing.model.ModelSpec.LANGUAGE_MODELING);
    }

    boolean isLanguageModel() {
        return writers != null;
    }

    /** The result of {@code work} on one of this language model's writers, or null when their queue is full. */
    <T> CompletableFuture<T> write(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, writers);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    static LiveTarget load(DeploymentTarget target, Path versionDir, int queueCapacity, ServerMetrics metrics) {
        long start = System.nanoTime();
        LoadedModel model = LoadedModel.load(versionDir);
        // one warm-up batch, so that the first client does not pay for the engine's lazy set-up
        int size = (int) java.util.Arrays.stream(model.sampleShape()).reduce(1, Math::multiplyExact);
        if (!isLanguageModel(model)) {
            model.predict(new float[size], 1);
        }
        String label = target.deployment() + "/" + target.alias();
        DynamicBatcher batcher = new DynamicBatcher(label, target.maxBatch(), target.maxDelayMs(), target.workers(),
                queueCapacity, samples -> predict(model, samples, size), (n, nanos) -> metrics.batch(target.deployment(), n, nanos));
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.modelLoaded(label, seconds);
        metrics.queueDepth(label, batcher::queueDepth);
        return new LiveTarget(target, model, batcher, seconds, queueCapacity);
    }

    private static float[][] predict(LoadedModel model, List<float[]> samples, int size) {
        float[] packed = new float[samples.size() * size];
        for (int i = 0; i < samples.size(); i++) System.arraycopy(samples.get(i), 0, packed, i * size, size);
        return model.predict(packed, samples.size());
    }

    DeploymentTarget target() {
        return target;
    }

    /** Takes the settings that need no reload (the traffic weight) from {@code wanted}. */
    void retarget(DeploymentTarget wanted) {
        target = wanted;
    }

    ModelVersion card() {
        return model.card();
    }

    LoadedModel model() {
        return model;
    }

    double loadSeconds() {
        return loadSeconds;
    }

    /** The output for one sample, or null when this target's queue is full. */
    CompletableFuture<DynamicBatcher.Answer> submit(float[] sample) {
        return batcher.submit(sample);
    }

    @Override
    public void close() {
        batcher.close();
        if (writers != null) {
            writers.shutdown();
            try {
                writers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        model.close();
    }
}
