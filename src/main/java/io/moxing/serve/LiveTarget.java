package io.moxing.serve;

import io.moxing.deploy.DeploymentTarget;
import io.moxing.drift.InputDrift;
import io.moxing.core.Json;
import io.moxing.core.Task;
import io.moxing.predict.Predictor;
import io.moxing.predict.SentenceEncoder;
import io.moxing.registry.ModelVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A deployment target loaded and answering: its model in memory and what runs it — a batcher for models
 * that take tensors, or a pool of workers for a language model (which writes token by token) and for a
 * sentence encoder (whose requests are texts of any length, batched within the request), one request per
 * worker. Each has a bounded queue (per tenant for a batcher); a full one refuses at once (null).
 *
 * <p>A request holds the target from the moment it is chosen until it is answered ({@link #hold},
 * {@link #release}); a retired target (a rollback or a new version replaced it) takes no new holders but
 * answers every request that already holds it before it unloads, so a swap drops no request.
 */
public final class LiveTarget implements AutoCloseable {
    /** The longest a retired target waits for the requests holding it (a body trickling in) before it unloads. */
    static final long RETIRE_WAIT_MS = 60_000;
    /** The batch thread's own CPU clock: a system call of well under a microsecond, twice per batch. */
    private static final java.lang.management.ThreadMXBean MODEL_CLOCK = java.lang.management.ManagementFactory.getThreadMXBean();
    /** A JVM without thread CPU clocks counts no model CPU (the bench then falls back to its own figure). */
    private static final boolean MODEL_CLOCK_ON = MODEL_CLOCK.isCurrentThreadCpuTimeSupported()
            && MODEL_CLOCK.isThreadCpuTimeEnabled();
    private volatile DeploymentTarget target;
    private final AtomicInteger holders = new AtomicInteger();
    private volatile boolean retiring;
    /** Null for a sentence encoder. */
    private final Predictor model;
    /** Null unless a sentence encoder. */
    private final SentenceEncoder encoder;
    private final ModelVersion card;
    /** Null for a language model or a sentence encoder. */
    private final DynamicBatcher batcher;
    /** Null unless a language model or a sentence encoder. */
    private final FairWorkers writers;

    private LiveTarget(DeploymentTarget target, Predictor model, DynamicBatcher batcher, FairWorkers writers) {
        this.target = target;
        this.model = model;
        this.encoder = null;
        this.card = model.card();
        this.batcher = batcher;
        this.writers = writers;
    }

    private LiveTarget(DeploymentTarget target, SentenceEncoder encoder, FairWorkers workers) {
        this.target = target;
        this.model = null;
        this.encoder = encoder;
        this.card = encoder.card();
        this.batcher = null;
        this.writers = workers;
    }

    /** Loads a target; {@code drift}, when not null, counts every row it is sent (see {@link InputDrift}). */
    public static LiveTarget load(DeploymentTarget target, Path versionDir, int queueCapacity, ServerMetrics metrics,
                                  InputDrift drift) {
        long start = System.nanoTime();
        String label = target.deployment() + "/" + target.alias();
        if (Json.read(versionDir.resolve("model.json"), ModelVersion.class).task() == Task.EMBEDDING) {
            SentenceEncoder encoder = SentenceEncoder.load(versionDir);
            FairWorkers workers = new FairWorkers(target.workers(), queueCapacity, "encoder-" + label);
            metrics.queueDepth(label, workers::queued);
            metrics.modelLoaded(label, (System.nanoTime() - start) / 1e9);
            return new LiveTarget(target, encoder, workers);
        }
        Predictor model = Predictor.load(versionDir);
        LiveTarget live;
        if (model.isLanguageModel()) {
            // concurrent texts share decode steps (continuous batching, up to max-batch at once); a writer thread per
            // text in the batch only waits for its tokens, and tenants take the writers in turn
            int slots = Math.max(1, target.maxBatch());
            model.batchGeneration(slots, queueCapacity, label);
            FairWorkers writers = new FairWorkers(slots, queueCapacity, "writer-" + label);
            metrics.queueDepth(label, writers::queued);
            live = new LiveTarget(target, model, null, writers);
        } else {
            // one warm-up batch, so that the first client does not pay for the engine's lazy set-up
            int size = (int) java.util.Arrays.stream(model.sampleShape()).reduce(1, Math::multiplyExact);
            model.predict(new float[size], 1);
            IntConsumer byClass = model.card().task().isClassification()
                    ? metrics.predictedClasses(target.deployment(), model.card().classes()) : null;
            DynamicBatcher batcher = new DynamicBatcher(label, target.maxBatch(), target.maxDelayMs(), target.workers(),
                    queueCapacity, samples -> {
                        if (drift != null) for (float[] sample : samples) drift.observe(sample);
                        float[] packed = packed(samples, size);
                        long cpu = MODEL_CLOCK_ON ? MODEL_CLOCK.getCurrentThreadCpuTime() : 0;
                        float[][] outputs = model.predict(packed, samples.size());
                        if (MODEL_CLOCK_ON) metrics.modelCpu(target.deployment(), MODEL_CLOCK.getCurrentThreadCpuTime() - cpu);
                        if (byClass != null) countClasses(outputs, byClass);
                        return outputs;
                    }, (n, nanos) -> metrics.batch(target.deployment(), n, nanos));
            metrics.queueDepth(label, batcher::queueDepth);
            live = new LiveTarget(target, model, batcher, null);
        }
        metrics.modelLoaded(label, (System.nanoTime() - start) / 1e9);
        return live;
    }

    /** Counts each row under its most probable class. */
    private static void countClasses(float[][] outputs, IntConsumer byClass) {
        for (float[] row : outputs) {
            int best = 0;
            for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
            byClass.accept(best);
        }
    }

    private static float[] packed(List<float[]> samples, int size) {
        float[] packed = new float[samples.size() * size];
        for (int i = 0; i < samples.size(); i++) System.arraycopy(samples.get(i), 0, packed, i * size, size);
        return packed;
    }

    public boolean isLanguageModel() {
        return model != null && writers != null;
    }

    /** Whether this target is a sentence encoder: it answers embeddings, and nothing else. */
    public boolean isEncoder() {
        return encoder != null;
    }

    public DeploymentTarget target() {
        return target;
    }

    /** Takes the settings that need no reload (the traffic weight) from {@code wanted}. */
    void retarget(DeploymentTarget wanted) {
        target = wanted;
    }

    public ModelVersion card() {
        return card;
    }

    /** What runs the version: predictions, explanations, text; null for a sentence encoder ({@link #encoder}). */
    public Predictor predictor() {
        return model;
    }

    /** The sentence encoder; null for every other model. */
    public SentenceEncoder encoder() {
        return encoder;
    }

    /**
     * The outputs of a request's samples, or null when the lane of {@code tenant} cannot take them all
     * (nothing is computed then). Each tenant has its own lane, so one tenant's burst cannot hold up another's.
     */
    public CompletableFuture<List<DynamicBatcher.Answer>> submit(String tenant, List<float[]> samples) {
        return batcher.submit(tenant, samples);
    }

    /**
     * The result of {@code work} on one of this language model's or encoder's workers, in {@code tenant}'s turn
     * ({@link FairWorkers}), or null when the tenant's lane is full.
     */
    public <T> CompletableFuture<T> write(String tenant, Supplier<T> work) {
        return writers.submit(tenant, work);
    }

    /**
     * Holds the target for one request until {@link #release}; false once it is retiring (the request chooses
     * again: the deployments it was chosen from already name its successor).
     */
    public boolean hold() {
        holders.incrementAndGet();
        // retire() sets the flag before it counts holders: one of the two always sees the other
        if (retiring) {
            holders.decrementAndGet();
            return false;
        }
        return true;
    }

    public void release() {
        holders.decrementAndGet();
    }

    /**
     * Takes no new holders, answers those it has (waiting on a thread of its own when there are any, up to
     * {@link #RETIRE_WAIT_MS}), then closes.
     */
    void retire() {
        retiring = true;
        if (holders.get() == 0) {
            close();
            return;
        }
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETIRE_WAIT_MS);
            while (holders.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            close();
        }, "retire-" + target.deployment() + "/" + target.alias());
        t.setDaemon(true);
        t.start();
    }

    /** Lets queued requests finish, then unloads the model. */
    @Override
    public void close() {
        if (batcher != null) batcher.close();
        if (writers != null) {
            writers.shutdown();
            try {
                writers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (model != null) model.close();
        if (encoder != null) encoder.close();
    }
}
