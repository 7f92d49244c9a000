package io.moxing.serve;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The workers of a language model's texts (or a sentence encoder's batches), shared between tenants. A text holds
 * its worker while it is written, for seconds, so with one queue a tenant that sent many long texts took every
 * worker and another tenant's five-token text waited 25 s for its first byte (a hostile test, 2026-12-01). Here, as
 * in the image models' {@link DynamicBatcher}:
 * <ul>
 *   <li>each tenant waits in a lane of its own (at most {@code laneCapacity} tasks; beyond, {@link #submit} answers
 *       null), and a free worker takes from the lanes in turn;</li>
 *   <li>while two or more tenants have sent work within the last minute, one tenant runs at most all workers but a
 *       quarter of them (at least one, when there are two or more), so a tenant that arrives finds a worker free at
 *       once, without pre-empting a text already being written;</li>
 *   <li>a tenant alone keeps an eighth of four or more workers free all the same (at least one): a tenant quiet
 *       for a minute is not "about", and its first text waited 5.5 s behind another's 300 streams until a text
 *       ended (2026-12-01). Fewer than four workers are all a lone tenant's, as keeping one back would halve them,
 *       and so are all of an open server's ({@link #OPEN}: a benchmark, a single-tenant service).</li>
 * </ul>
 */
public final class FairWorkers {
    /** The tenant of an open server's requests (no keys): there is no other tenant to keep a worker free for. */
    public static final String OPEN = "";
    private static final long SHARED_NANOS = TimeUnit.MINUTES.toNanos(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Map<String, Lane> lanes = new HashMap<>();
    /** The lanes with tasks waiting, in the order they take their next turn. */
    private final ArrayDeque<Lane> turns = new ArrayDeque<>();
    private final int laneCapacity;
    private final int perTenant;
    /** The most workers a tenant alone runs at once. */
    private final int alone;
    private final Thread[] threads;
    /** When each tenant last sent work: the reserve is kept only while several share the workers. */
    private final Map<String, Long> lastSeen = new HashMap<>();
    private int queued;
    private boolean open = true;

    private static final class Lane {
        final String tenant;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        int running;

        Lane(String tenant) {
            this.tenant = tenant;
        }
    }

    public FairWorkers(int workers, int laneCapacity, String name) {
        this.laneCapacity = laneCapacity;
        this.perTenant = workers < 2 ? workers : workers - Math.max(1, workers / 4);
        this.alone = workers < 4 ? workers : workers - Math.max(1, workers / 8);
        this.threads = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            threads[i] = new Thread(this::work, name);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** The most workers one tenant runs at once while the workers are shared. */
    public int perTenant() {
        return perTenant;
    }

    /** The most workers a tenant alone runs at once. */
    public int alone() {
        return alone;
    }

    /** {@code work}'s result, computed on a worker in {@code tenant}'s turn; null when the lane is full or closed. */
    public <T> CompletableFuture<T> submit(String tenant, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        };
        lock.lock();
        try {
            Lane lane = lanes.get(tenant);
            if (!open || lane != null && lane.tasks.size() >= laneCapacity) return null;
            if (lane == null) lanes.put(tenant, lane = new Lane(tenant));
            lastSeen.put(tenant, System.nanoTime());
            if (lane.tasks.isEmpty()) turns.addLast(lane);
            lane.tasks.addLast(task);
            queued++;
            ready.signal();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Tasks waiting for a worker, over all lanes. */
    public int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            Lane lane;
            Runnable task;
            lock.lock();
            try {
                while ((lane = nextTurn()) == null) {
                    if (!open && queued == 0) return;
                    ready.await();
                }
                task = lane.tasks.pollFirst();
                queued--;
                lane.running++;
                if (!lane.tasks.isEmpty()) turns.addLast(lane);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } finally {
                lock.lock();
                try {
                    lane.running--;
                    if (lane.running == 0 && lane.tasks.isEmpty()) lanes.remove(lane.tenant);
                    // a lane held back by its share may take its turn now, on whichever worker is free
                    ready.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** The first lane in turn that is under its share, taken out of the turns; null when none may run. Holds lock. */
    private Lane nextTurn() {
        boolean shared = shared();
        for (int i = 0, n = turns.size(); i < n; i++) {
            Lane lane = turns.pollFirst();
            int most = shared ? perTenant : lane.tenant.equals(OPEN) ? threads.length : alone;
            if (lane.running < most) return lane;
            turns.addLast(lane);
        }
        return null;
    }

    /** Whether two or more tenants sent work within the last minute (those longer ago are forgotten). Holds lock. */
    private boolean shared() {
        if (lastSeen.size() < 2) return false;
        long now = System.nanoTime();
        lastSeen.values().removeIf(at -> now - at > SHARED_NANOS);
        return lastSeen.size() >= 2;
    }

    /** Takes no more tasks; those queued still run. */
    public void shutdown() {
        lock.lock();
        try {
            open = false;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for the workers to finish what was queued. */
    public void awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) return;
            t.join(left);
        }
    }
}
