package io.moxing.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes usage records with group commit: one writer thread takes every record waiting, writes them in
 * one transaction and then completes each record's future. The server answers a request only once its
 * record is durable, so a client never sees a success that a crash could un-charge; under load many
 * requests share one commit, so the wait stays a fraction of a millisecond.
 */
public final class UsageMeter implements AutoCloseable {
    private static final int MAX_BATCH = 2048;
    private final UsageLedger ledger;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    private record Pending(UsageRecord record, CompletableFuture<Boolean> written) {}

    public UsageMeter(UsageLedger ledger) {
        this.ledger = ledger;
        this.writer = new Thread(this::write, "usage-meter");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues the record; the future completes with true once it is durable, false when it was a retry of
     * a request already charged (same idempotency key), or exceptionally when the database failed.
     */
    public CompletableFuture<Boolean> record(UsageRecord record) {
        Pending p = new Pending(record, new CompletableFuture<>());
        if (!running) {
            p.written.completeExceptionally(new IllegalStateException("the usage meter is closed"));
        } else {
            queue.add(p);
        }
        return p.written;
    }

    private void write() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean[] written = ledger.append(batch.stream().map(Pending::record).toList());
                for (int i = 0; i < batch.size(); i++) batch.get(i).written.complete(written[i]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                System.err.println("usage records not written (" + batch.size() + "): " + e.getMessage());
                batch.forEach(p -> p.written.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
