package io.moxing.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moxing.core.DeepLearning;
import io.moxing.model.CachedForward;
import io.moxing.model.CompiledModel;
import io.moxing.model.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * Writes text one token at a time with a compiled language model. With the key/value cache each
 * new token costs one position's work; without it the whole window is run again for every token
 * (kept for comparison and as the reference the cache must agree with).
 *
 * <p>The model sees at most its context. When the window is full it restarts from the newest half
 * of it (the cache is rebuilt from those tokens), so a long text costs one rebuild per half-context
 * of new tokens. Both modes apply the same rule, so under greedy decoding they write the same tokens.
 */
public final class TextGenerator {
    private final CompiledModel model;
    private final NDManager manager;
    private final ParameterStore store;
    private final int context;

    public TextGenerator(CompiledModel model, NDManager manager) {
        this.model = model;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.context = model.spec().input().get(0);
    }

    /** The tokens written after {@code prompt}; each is passed to {@code onToken} as soon as it is chosen. */
    public int[] generate(int[] prompt, int count, Sampler sampler, boolean useCache, IntConsumer onToken) {
        return generateWhile(prompt, count, sampler, useCache, token -> {
            onToken.accept(token);
            return true;
        });
    }

    /**
     * As {@link #generate}, but stops early when {@code onToken} answers false (a stop sequence was written, the
     * client went away); the tokens written until then, that one included.
     */
    public int[] generateWhile(int[] prompt, int count, Sampler sampler, boolean useCache, IntPredicate onToken) {
        if (!useCache) {
            return decode(prompt, count, sampler, false, onToken);
        }
        // one position per step: the ops are too small to split, and waking a second thread costs more than
        // it saves (1.8 against 2.4 ms a token on 2 cores; docs/DECISIONS.md)
        return DeepLearning.withIntraOpThreads(1, () -> decode(prompt, count, sampler, true, onToken));
    }

    /** The longest window the model reads; a longer text restarts from the newer half of it. */
    public int context() {
        return context;
    }

    private int[] decode(int[] prompt, int count, Sampler sampler, boolean useCache, IntPredicate onToken) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        List<Integer> ids = new ArrayList<>();
        for (int id : prompt) ids.add(id);
        int start = Math.max(0, ids.size() - context);
        int[] written = new int[count];
        KvCache cache = null;
        try {
            for (int n = 0; n < count; n++) {
                if (ids.size() - start > context) {
                    start = ids.size() - context / 2;
                    if (cache != null) {
                        cache.close();
                        cache = null;
                    }
                }
                float[] logits;
                try (NDManager scratch = manager.newSubManager()) {
                    if (useCache) {
                        if (cache == null) {
                            cache = new KvCache(manager);
                        }
                        int from = start + cache.length();
                        logits = lastLogits(CachedForward.run(model, store, ids(scratch, ids, from), cache));
                    } else {
                        NDList out = model.block().forward(store, new NDList(ids(scratch, ids, start)), false);
                        logits = lastLogits(out.singletonOrThrow());
                    }
                }
                int next = sampler.next(logits);
                ids.add(next);
                written[n] = next;
                if (!onToken.test(next)) return java.util.Arrays.copyOf(written, n + 1);
            }
        } finally {
            if (cache != null) cache.close();
        }
        return written;
    }

    private static NDArray ids(NDManager scratch, List<Integer> ids, int from) {
        long[] window = new long[ids.size() - from];
        for (int i = 0; i < window.length; i++) window[i] = ids.get(from + i);
        return scratch.create(window, new Shape(1, window.length));
    }

    private static float[] lastLogits(NDArray logits) {
        return logits.get(new NDIndex(0, -1)).toFloatArray();
    }
}
