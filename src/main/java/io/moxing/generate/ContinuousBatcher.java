package io.moxing.generate;

import ai.djl.ndarray.NDManager;
import io.moxing.core.DeepLearning;
import io.moxing.model.CompiledModel;
import io.moxing.model.SlotDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Continuous batching for a language model: concurrent requests share one model through batched decoding.
 * A request waits in a bounded queue until a slot is free, joins the running batch between two decode
 * steps (its prompt prefilled alone), and from then on gets one token per step with its own position, key
 * and value cache and sampler; a finished, stopped or cancelled one leaves at once and frees its slot for
 * the next. Each sequence follows the same window rule as {@link TextGenerator} (at the context, restart
 * from the newest half), so under greedy decoding it writes the same tokens whatever else is in the batch.
 * One thread decodes; everything else only queues and cancels.
 */
public final class ContinuousBatcher implements AutoCloseable {
    /** Receives a sequence's tokens as they are chosen; false stops it there (a stop sequence, a client gone). */
    public interface Tokens {
        boolean accept(int token);
    }

    /** Why a sequence ended. */
    public enum Finish { LENGTH, STOPPED, CANCELLED }

    /** A finished sequence: the tokens written (those delivered to its {@link Tokens}), and why it ended. */
    public record Result(int[] tokens, Finish finish) {}

    /** A queued or running request; {@link #cancel} frees its slot before the next step. */
    public static final class Generation {
        private final int[] prompt;
        private final int maxTokens;
        private final Sampler sampler;
        private final Tokens sink;
        private final CompletableFuture<Result> done = new CompletableFuture<>();
        private volatile boolean cancelled;
        private final List<Integer> history = new ArrayList<>();
        private int written;
        private int pending;
        private int slot = -1;

        private Generation(int[] prompt, int maxTokens, Sampler sampler, Tokens sink) {
            this.prompt = prompt;
            this.maxTokens = maxTokens;
            this.sampler = sampler;
            this.sink = sink;
        }

        public CompletableFuture<Result> result() {
            return done;
        }

        public void cancel() {
            cancelled = true;
        }
    }

    private final SlotDecoder decoder;
    private final BlockingQueue<Generation> queue;
    private final Generation[] running;
    private final Thread thread;
    private volatile boolean open = true;

    public ContinuousBatcher(CompiledModel model, NDManager manager, int slots, int queueCapacity, String name) {
        this.decoder = new SlotDecoder(model, manager, slots);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.running = new Generation[slots];
        this.thread = new Thread(this::decode, "decode-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a request; null when the queue is full (the caller answers 429/503). */
    public Generation submit(int[] prompt, int maxTokens, Sampler sampler, Tokens sink) {
        if (prompt.length == 0) throw new IllegalArgumentException("a prompt needs at least one token");
        if (maxTokens < 1) throw new IllegalArgumentException("at least one token must be asked for");
        Generation g = new Generation(prompt, maxTokens, sampler, sink);
        if (!open || !queue.offer(g)) return null;
        return g;
    }

    /** Requests waiting for a slot. */
    public int queued() {
        return queue.size();
    }

    /** Sequences in the batch now. */
    public int active() {
        int n = 0;
        for (Generation g : running) if (g != null) n++;
        return n;
    }

    private void decode() {
        DeepLearning.noGradientsOnThisThread();
        while (open) {
            try {
                admit();
                if (active() == 0) {
                    Generation next = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (next != null) join(next);
                    continue;
                }
                step();
            } catch (InterruptedException e) {
                break;
            } catch (Throwable e) {
                // a failure in the engine (an Error too: this thread must not die with requests waiting on it) ends the
                // sequences it was decoding, not the server
                for (Generation g : running) {
                    if (g != null) end(g, null, e);
                }
            }
        }
        for (Generation g : running) if (g != null) end(g, Finish.CANCELLED, null);
        for (Generation g; (g = queue.poll()) != null; ) g.done.complete(new Result(new int[0], Finish.CANCELLED));
    }

    private void admit() {
        for (int slot = 0; slot < running.length; slot++) {
            if (running[slot] != null) continue;
            Generation next = queue.poll();
            if (next == null) return;
            join(next);
        }
    }

    private void join(Generation g) {
        if (g.cancelled) {
            g.done.complete(new Result(new int[0], Finish.CANCELLED));
            return;
        }
        int slot = 0;
        while (running[slot] != null) slot++;
        g.slot = slot;
        running[slot] = g;
        for (int id : g.prompt) g.history.add(id);
        int context = decoder.context();
        int[] window = Arrays.copyOfRange(g.prompt, Math.max(0, g.prompt.length - context), g.prompt.length);
        try {
            deliver(g, g.sampler.next(decoder.prefill(slot, window)));
        } catch (RuntimeException e) {
            end(g, null, e);
        }
    }

    private void step() {
        int context = decoder.context();
        int rows = 0;
        for (int s = 0; s < running.length; s++) {
            Generation g = running[s];
            if (g == null) continue;
            if (g.cancelled) {
                end(g, Finish.CANCELLED, null);
                continue;
            }
            if (decoder.length(s) >= context) {
                // the window is full: restart from its newest half, as TextGenerator does
                int from = g.history.size() - context / 2;
                int[] window = g.history.subList(from, g.history.size()).stream().mapToInt(Integer::intValue).toArray();
                deliver(g, g.sampler.next(decoder.prefill(s, window)));
            }
            if (running[s] != null) rows = s + 1;
        }
        if (rows == 0) return;
        int[] tokens = new int[rows];
        for (int s = 0; s < rows; s++) tokens[s] = running[s] == null ? -1 : running[s].pending;
        // one intra-op thread: the ops of a step are too small to split (docs/DECISIONS.md)
        float[][] logits = DeepLearning.withIntraOpThreads(1, () -> decoder.step(tokens));
        for (int s = 0; s < rows; s++) {
            Generation g = running[s];
            if (g != null) deliver(g, g.sampler.next(logits[s]));
        }
    }

    private void deliver(Generation g, int token) {
        g.history.add(token);
        g.pending = token;
        g.written++;
        boolean more;
        try {
            more = g.sink.accept(token);
        } catch (RuntimeException e) {
            more = false;
        }
        if (!more || g.cancelled) {
            end(g, g.cancelled ? Finish.CANCELLED : Finish.STOPPED, null);
        } else if (g.written >= g.maxTokens) {
            end(g, Finish.LENGTH, null);
        }
    }

    private void end(Generation g, Finish finish, Throwable failure) {
        if (g.slot >= 0 && running[g.slot] == g) {
            running[g.slot] = null;
            decoder.free(g.slot);
        }
        int[] tokens = g.history.subList(g.prompt.length, g.history.size()).stream().mapToInt(Integer::intValue).toArray();
        if (failure != null) {
            g.done.completeExceptionally(failure);
        } else {
            g.done.complete(new Result(tokens, finish));
        }
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decoder.close();
    }
}
