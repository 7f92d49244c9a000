package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention in which a position sees only itself and the positions before it:
 * one projection to queries, keys and values for all heads, scaled dot products with the future
 * masked to minus infinity, softmax, dropout, and an output projection. With a {@link KvCache} the
 * new positions' keys and values are appended to those already computed.
 */
final class CausalSelfAttention extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int layer;
    private final int heads;
    private final int width;
    private final float dropout;
    private final Linear qkv;
    private final Linear projection;

    CausalSelfAttention(int layer, int width, int heads, float dropout) {
        super(VERSION);
        this.layer = layer;
        this.heads = heads;
        this.width = width;
        this.dropout = dropout;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
        this.projection = addChildBlock("projection", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(attend(store, inputs.singletonOrThrow(), training, null));
    }

    NDArray attend(ParameterStore store, NDArray x, boolean training, KvCache cache) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(1);
        long headSize = width / heads;
        // generation (with a cache) skips the block machinery: see DirectOps
        NDArray projected = cache != null ? DirectOps.linear(qkv, x) : qkv.forward(store, new NDList(x), training).singletonOrThrow();
        // [batch, positions, 3 x heads x head size] -> [3, batch, heads, positions, head size]; for a single
        // new position of one sequence (generation) the memory is already in that order: no transpose
        NDArray all = positions == 1 && batch == 1
                ? projected.reshape(3, 1, heads, 1, headSize)
                : projected.reshape(batch, positions, 3, heads, headSize).transpose(2, 0, 3, 1, 4);
        NDList qkvParts = all.split(3, 0);
        float scale = (float) (1.0 / Math.sqrt(headSize));
        NDArray queries = cache != null ? qkvParts.get(0).mul(cache.scalar(scale)) : qkvParts.get(0).mul(scale);
        // keys are kept transposed ([..., head size, positions]) so that no step transposes the cache
        NDArray keysT = qkvParts.get(1).transpose(0, 1, 2, 4, 3);
        NDArray values = qkvParts.get(2);
        int past = 0;
        if (cache != null) {
            past = cache.length();
            NDArray[] kv = cache.append(layer, keysT, values);
            keysT = kv[0];
            values = kv[1];
        }
        NDArray scores = queries.matMul(keysT);
        if (positions > 1) {
            scores = scores.add(futureMask(x.getManager(), (int) positions, past));
        }
        NDArray weights = scores.softmax(-1);
        if (training && dropout > 0) {
            weights = weights.getNDArrayInternal().dropout(weights, dropout, true).singletonOrThrow();
        }
        NDArray mixed = weights.matMul(values);
        mixed = positions == 1 ? mixed.reshape(batch, 1, width)
                : mixed.transpose(0, 1, 3, 2, 4).reshape(batch, positions, width);
        return cache != null ? DirectOps.linear(projection, mixed)
                : projection.forward(store, new NDList(mixed), training).singletonOrThrow();
    }

    /**
     * One new position for each of n decoding slots ([n, 1, width]), each attending to its own slot's keys
     * and values in {@code slots} (written there first): continuous batching, where every sequence in the
     * batch is at a different position.
     */
    NDArray attendSlots(NDArray x, SlotCache slots) {
        long n = x.getShape().get(0);
        long headSize = width / heads;
        NDList parts = DirectOps.linear(qkv, x).reshape(n, 3, heads, headSize).split(3, 1);
        float scale = (float) (1.0 / Math.sqrt(headSize));
        NDArray queries = parts.get(0).reshape(n, heads, 1, headSize).mul(slots.scalar(scale));
        NDArray[] kv = slots.write(layer, parts.get(1).reshape(n, heads, headSize), parts.get(2).reshape(n, heads, headSize));
        NDArray weights = queries.matMul(kv[0]).add(slots.mask()).softmax(-1);
        return DirectOps.linear(projection, weights.matMul(kv[1]).reshape(n, 1, width));
    }

    int layerIndex() {
        return layer;
    }

    int heads() {
        return heads;
    }

    int headSize() {
        return width / heads;
    }

    /**
     * [positions, past + positions]: 0 where query i (at absolute position past + i) may look, minus
     * infinity at every later position.
     */
    static NDArray futureMask(NDManager manager, int positions, int past) {
        int keys = past + positions;
        float[] mask = new float[positions * keys];
        for (int i = 0; i < positions; i++) {
            for (int j = past + i + 1; j < keys; j++) {
                mask[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(positions, keys));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes);
        projection.initialize(manager, dataType, inputShapes);
    }
}
