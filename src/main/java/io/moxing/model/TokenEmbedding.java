package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Token ids [batch, positions] to vectors [batch, positions, width]: a learned vector per token plus a
 * learned vector per position (GPT's layout), then dropout. The position table bounds the context.
 */
final class TokenEmbedding extends AbstractBlock implements CachedBlock {
    private static final byte VERSION = 1;
    private final int vocabulary;
    private final int context;
    private final int width;
    private final float dropout;
    private final Parameter tokens;
    private final Parameter positions;

    TokenEmbedding(int vocabulary, int context, int width, float dropout) {
        super(VERSION);
        this.vocabulary = vocabulary;
        this.context = context;
        this.width = width;
        this.dropout = dropout;
        this.tokens = addParameter(Parameter.builder().setName("tokens").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabulary, width)).build());
        this.positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(context, width)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray out = embed(store, inputs.singletonOrThrow(), 0);
        if (training && dropout > 0) {
            out = out.getNDArrayInternal().dropout(out, dropout, true).singletonOrThrow();
        }
        return new NDList(out);
    }

    @Override
    public NDList forwardCached(ParameterStore store, NDList inputs, KvCache cache) {
        return new NDList(embed(store, inputs.singletonOrThrow(), cache.length()));
    }

    private NDArray embed(ParameterStore store, NDArray ids, int offset) {
        long count = ids.getShape().get(ids.getShape().dimension() - 1);
        if (offset + count > context) {
            throw new IllegalStateException("positions " + offset + ".." + (offset + count - 1)
                    + " exceed the context of " + context);
        }
        NDArray table = store.getValue(tokens, ids.getDevice(), false);
        NDArray position = store.getValue(positions, ids.getDevice(), false);
        NDArray indices = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        NDArray embedded = ids.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
        // the slice is made where the ids live: DJL would put it in the table's manager, the model's own, which keeps
        // one per call until the model closes (and in training each holds the step's gradient with it)
        return embedded.add(position.get(ids.getManager(), new NDIndex("{}:{}", offset, offset + count)));
    }

    /** Token ids [n, 1] at their own positions [n, 1] (INT64), for n decoding slots at once. */
    NDArray embedSlots(ParameterStore store, NDArray ids, NDArray positionIds) {
        NDArray table = store.getValue(tokens, ids.getDevice(), false);
        NDArray position = store.getValue(positions, ids.getDevice(), false);
        var ops = ids.getNDArrayInternal();
        return ops.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow()
                .add(ops.embedding(positionIds, position, SparseFormat.DENSE).singletonOrThrow());
    }

    int context() {
        return context;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children: both tables are this block's own parameters
    }

    int vocabulary() {
        return vocabulary;
    }
}
