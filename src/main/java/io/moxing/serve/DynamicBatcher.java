package io.moxing.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Gathers concurrent requests for one model into batches: a worker takes the first waiting request,
 * then waits at most {@code maxDelayMs} for more, up to {@code maxBatch}, runs them as one batch and
 * answers each request with its own row. The queue is bounded: when it is full a request is refused
 * at once ({@link #submit} returns null) instead of waiting without limit.
 *
 * <p>The delay is only paid when it can buy something: while recent batches held a single request (one
 * client at a time), a request runs at once instead of waiting for companions that do not come.
 */
public final class DynamicBatcher implements AutoCloseable {
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final Function<List<float[]>, float[][]> runBatch;
    private final BatchObserver observer;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;
    /** Moving average of recent batch sizes (shared by the workers; a stale read only shifts one decision). */
    private volatile double recentBatchSize = 1;

    /** What a batch reports: its size and how long it ran. */
    public interface BatchObserver {
        void batch(int size, long nanos);
    }

    /**
     * One sample's output, with its share of the batch's model time and the size of the batch it ran in
     * (what metering charges and unit economics measure).
     */
    public record Answer(float[] output, long computeNanos, int batchSize) {}

    private record Pending(float[] sample, CompletableFuture<Answer> result, long enqueued) {}

    public DynamicBatcher(String name, int maxBatch, int maxDelayMs, int workerCount, int queueCapacity,
                          Function<List<float[]>, float[][]> runBatch, BatchObserver observer) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.runBatch = runBatch;
        this.observer = observer;
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(this::work, "batcher-" + name + "-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /** The result of one sample, or null when the queue is full (the caller answers 503). */
    public CompletableFuture<Answer> submit(float[] sample) {
        Pending p = new Pending(sample, new CompletableFuture<>(), System.nanoTime());
        return queue.offer(p) ? p.result : null;
    }

    public int queueDepth() {
        return queue.size();
    }

    private void work() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                boolean concurrent = recentBatchSize > 1.5 || !queue.isEmpty();
                long deadline = System.nanoTime() + (concurrent ? maxDelayNanos : 0);
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    // take what is already waiting without blocking, then wait out the delay for more
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) break;
                    batch.add(next);
                }
                recentBatchSize = 0.8 * recentBatchSize + 0.2 * batch.size();
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending> batch) {
        long start = System.nanoTime();
        try {
            List<float[]> samples = new ArrayList<>(batch.size());
            for (Pending p : batch) samples.add(p.sample);
            float[][] outputs = runBatch.apply(samples);
            long share = (System.nanoTime() - start) / batch.size();
            for (int i = 0; i < batch.size(); i++) batch.get(i).result.complete(new Answer(outputs[i], share, batch.size()));
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result.completeExceptionally(e));
        } finally {
            observer.batch(batch.size(), System.nanoTime() - start);
        }
    }

    /** Stops the workers once the queue is drained, waiting up to ten seconds for each. */
    @Override
    public void close() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
