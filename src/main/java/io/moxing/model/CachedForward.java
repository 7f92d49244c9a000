package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

/**
 * Runs a compiled language model on new positions only, in inference mode: layers that look back
 * (attention, position embeddings) read and extend the {@link KvCache}; the others work position by
 * position and run as they are.
 */
public final class CachedForward {
    private CachedForward() {}

    /** Logits [batch, new positions, vocabulary] for {@code ids} [batch, new positions]; advances the cache. */
    public static NDArray run(CompiledModel model, ParameterStore store, NDArray ids, KvCache cache) {
        NDList out = run(model.block(), store, new NDList(ids), cache);
        cache.advance((int) ids.getShape().get(1));
        return out.singletonOrThrow();
    }

    static NDList run(Block block, ParameterStore store, NDList x, KvCache cache) {
        if (block instanceof CachedBlock cached) {
            return cached.forwardCached(store, x, cache);
        }
        if (block instanceof SequentialBlock sequence) {
            for (Block child : sequence.getChildren().values()) {
                x = run(child, store, x, cache);
            }
            return x;
        }
        return block.forward(store, x, false);
    }
}
