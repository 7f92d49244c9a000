package io.moxing.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Gathers concurrent requests for one model into batches: a worker takes the rows that wait, then waits
 * at most {@code maxDelayMs} for more, up to {@code maxBatch} rows, runs them as one batch and answers
 * each request once all of its rows are done.
 *
 * <p>Requests wait in lanes, one per tenant, and a batch is filled from the lanes in turn, each lane
 * taking an equal share of the batch (what one leaves unused goes to the others). One tenant's burst
 * therefore fills only its own lane: another tenant's request joins the next batch whatever is queued
 * ahead of it. A request is taken whole or refused whole ({@link #submit} returns null when its lane
 * cannot hold all of its rows), so a refused request has cost no model time; a large one is split over
 * several batches and answered when its last row is done.
 *
 * <p>The delay is only paid when it can buy something: while recent batches held a single row (one
 * client at a time), a request runs at once instead of waiting for companions that do not come.
 */
public final class DynamicBatcher implements AutoCloseable {
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int laneCapacity;
    private final Function<List<float[]>, float[][]> runBatch;
    private final BatchObserver observer;
    private final List<Thread> workers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Lanes with rows waiting, in the order they take their turn (guarded by lock). */
    private final ArrayDeque<Lane> turns = new ArrayDeque<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    /** Written under lock; read without it by the queue-depth gauge. */
    private volatile int waitingRows;
    private volatile boolean running = true;
    /** Moving average of recent batch sizes (shared by the workers; a stale read only shifts one decision). */
    private volatile double recentBatchSize = 1;
    /** Workers waiting for any row (guarded by lock). */
    private int idleWorkers;
    /** The room in the batches of the workers waiting out their delay for companions (guarded by lock). */
    private final CompanionRooms companionRooms = new CompanionRooms();

    /** What a batch reports: its size and how long it ran. */
    public interface BatchObserver {
        void batch(int size, long nanos);
    }

    /**
     * One sample's output, with its share of the batch's model time and the size of the batch it ran in
     * (what metering charges and unit economics measure).
     */
    public record Answer(float[] output, long computeNanos, int batchSize) {}

    /** A request: its rows, the answers filled in as batches finish, and how far it has been taken. */
    private static final class Job {
        final float[][] rows;
        final Answer[] answers;
        final CompletableFuture<List<Answer>> result = new CompletableFuture<>();
        int taken;
        int done;

        Job(List<float[]> samples) {
            rows = samples.toArray(float[][]::new);
            answers = new Answer[rows.length];
        }
    }

    private static final class Lane {
        final String name;
        final ArrayDeque<Job> jobs = new ArrayDeque<>();
        int rows;

        Lane(String name) {
            this.name = name;
        }
    }

    /**
     * The room left in the batch of each worker waiting out its delay for companions, as a multiset, and its sum. Such
     * a worker is woken by rows that fill its batch or by its deadline, not by every arrival: at 64 clients, one wake-up
     * per request cost the submitting and the batching thread a futex call and a context switch each (a profile of the
     * v2 binary route, docs/DECISIONS.md). Rows up to the sum are left to these workers; another worker starts a batch
     * only with the rows beyond it. Otherwise a worker woken beside them took the rows that would fill their batches
     * and started a batch of its own that waited out the delay too (with three workers, two such batches each held
     * half of what one full batch would). Not thread-safe: the batcher's lock guards it.
     */
    private static final class CompanionRooms {
        private final java.util.TreeMap<Integer, Integer> rooms = new java.util.TreeMap<>();
        private int total;

        void add(int room) {
            rooms.merge(room, 1, Integer::sum);
            total += room;
        }

        void remove(int room) {
            rooms.computeIfPresent(room, (r, n) -> n == 1 ? null : n - 1);
            total -= room;
        }

        /** Whether {@code rows} waiting fill the batch of at least one waiting worker. */
        boolean fills(int rows) {
            return !rooms.isEmpty() && rows >= rooms.firstKey();
        }

        int total() {
            return total;
        }
    }

    /** A run of consecutive rows of one job inside a batch. */
    private record Slice(Job job, int from, int count) {}

    /**
     * @param laneCapacity rows that may wait per lane (per tenant) before requests are refused
     */
    public DynamicBatcher(String name, int maxBatch, int maxDelayMs, int workerCount, int laneCapacity,
                          Function<List<float[]>, float[][]> runBatch, BatchObserver observer) {
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.laneCapacity = laneCapacity;
        this.runBatch = runBatch;
        this.observer = observer;
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(this::work, "batcher-" + name + "-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /**
     * The outputs of all {@code samples}, in order, or null when the lane cannot take them all (the caller
     * answers 503); nothing of a refused request is computed.
     */
    public CompletableFuture<List<Answer>> submit(String lane, List<float[]> samples) {
        if (samples.isEmpty()) return CompletableFuture.completedFuture(List.of());
        Job job = new Job(samples);
        lock.lock();
        try {
            Lane l = lanes.computeIfAbsent(lane, Lane::new);
            if (!running || l.rows + samples.size() > laneCapacity) return null;
            if (l.jobs.isEmpty()) turns.addLast(l);
            l.jobs.addLast(job);
            l.rows += samples.size();
            waitingRows += samples.size();
            if (companionRooms.fills(waitingRows)) {
                arrived.signalAll(); // once per filled batch; every waiter takes what it has room for
            } else if (idleWorkers > 0 && waitingRows > companionRooms.total()) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
        return job.result;
    }

    /** Rows waiting in all lanes. */
    public int queueDepth() {
        return waitingRows;
    }

    private void work() {
        List<Slice> batch = new ArrayList<>();
        while (true) {
            try {
                if (!fill(batch)) return;
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Waits for rows and takes a batch of them; false once closed and drained. */
    private boolean fill(List<Slice> batch) throws InterruptedException {
        lock.lock();
        try {
            // rows that the workers waiting for companions have room for are theirs
            while (waitingRows <= companionRooms.total()) {
                if (!running && waitingRows == 0) return false;
                idleWorkers++;
                try {
                    arrived.await(100, TimeUnit.MILLISECONDS);
                } finally {
                    idleWorkers--;
                }
            }
            boolean concurrent = recentBatchSize > 1.5 || waitingRows > 1;
            long deadline = System.nanoTime() + (concurrent ? maxDelayNanos : 0);
            // only the rows beyond the waiting workers' room: a request that overshoots it still fills their batches
            int size = take(batch, Math.min(maxBatch, waitingRows - companionRooms.total()));
            // wait out the delay for companions while the batch has room; woken early only by rows that fill it
            while (size < maxBatch && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                int room = maxBatch - size;
                if (waitingRows < room) {
                    companionRooms.add(room);
                    try {
                        arrived.awaitNanos(left);
                    } finally {
                        companionRooms.remove(room);
                    }
                }
                size += take(batch, maxBatch - size);
            }
            recentBatchSize = 0.8 * recentBatchSize + 0.2 * size;
            // rows this batch had no room for: an idle worker takes them rather than waiting for the next arrival
            if (waitingRows > companionRooms.total() && idleWorkers > 0) arrived.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code room} rows from the lanes in turn, each lane an equal share of the room (at least
     * one row); the lane that took last goes to the back, so the next batch starts with another. Holds lock.
     */
    private int take(List<Slice> batch, int room) {
        int taken = 0;
        while (taken < room && !turns.isEmpty()) {
            int share = Math.max(1, (room - taken) / turns.size());
            int lanesThisRound = turns.size();
            for (int i = 0; i < lanesThisRound && taken < room; i++) {
                Lane lane = turns.pollFirst();
                int want = Math.min(share, room - taken);
                int got = takeFromLane(lane, want, batch);
                taken += got;
                if (lane.jobs.isEmpty()) {
                    lanes.remove(lane.name);
                } else {
                    turns.addLast(lane);
                }
            }
        }
        waitingRows -= taken;
        return taken;
    }

    private static int takeFromLane(Lane lane, int want, List<Slice> batch) {
        int got = 0;
        Iterator<Job> jobs = lane.jobs.iterator();
        while (got < want && jobs.hasNext()) {
            Job job = jobs.next();
            int count = Math.min(want - got, job.rows.length - job.taken);
            batch.add(new Slice(job, job.taken, count));
            job.taken += count;
            got += count;
            if (job.taken == job.rows.length) jobs.remove();
        }
        lane.rows -= got;
        return got;
    }

    private void run(List<Slice> batch) {
        long start = System.nanoTime();
        int size = 0;
        for (Slice s : batch) size += s.count;
        try {
            List<float[]> samples = new ArrayList<>(size);
            for (Slice s : batch) samples.addAll(Arrays.asList(s.job.rows).subList(s.from, s.from + s.count));
            float[][] outputs = runBatch.apply(samples);
            long share = (System.nanoTime() - start) / size;
            int row = 0;
            for (Slice s : batch) {
                for (int i = 0; i < s.count; i++) s.job.answers[s.from + i] = new Answer(outputs[row++], share, size);
                finish(s.job, s.count);
            }
        } catch (RuntimeException e) {
            for (Slice s : batch) s.job.result.completeExceptionally(e);
        } finally {
            observer.batch(size, System.nanoTime() - start);
        }
    }

    /** Counts a job's finished rows; the worker finishing its last row answers it. */
    private static void finish(Job job, int rows) {
        boolean last;
        synchronized (job) {
            job.done += rows;
            last = job.done == job.rows.length;
        }
        if (last) job.result.complete(Arrays.asList(job.answers));
    }

    /** Stops the workers once the lanes are drained, waiting up to ten seconds for each. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
