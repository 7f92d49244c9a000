package io.moxing.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A frozen layer: its parameters take no gradients and it always runs in inference mode, so batch norm
 * uses its stored statistics and dropout is off, as Keras does for a layer with trainable=False. Run in
 * training mode instead, a frozen backbone's batch norm re-normalised each small batch of the new data,
 * and a head trained on top of it stayed near chance (Pullover vs Coat: 0.67 frozen-in-training-mode).
 */
final class Frozen extends AbstractBlock implements CachedBlock {
    private static final byte VERSION = 1;
    private final Block inner;

    Frozen(Block inner) {
        super(VERSION);
        this.inner = addChildBlock("frozen", inner);
        inner.freezeParameters(true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return inner.forward(store, inputs, false, params);
    }

    @Override
    public NDList forwardCached(ParameterStore store, NDList inputs, KvCache cache) {
        return CachedForward.run(inner, store, inputs, cache);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }
}
