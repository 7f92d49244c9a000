package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm Transformer decoder layer (GPT-2's arrangement): x + attention(norm(x)), then
 * x + MLP(norm(x)) with a GELU MLP; dropout on each branch before it joins the residual stream.
 */
final class TransformerLayer extends AbstractBlock implements CachedBlock {
    private static final byte VERSION = 1;
    private final float dropout;
    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm mlpNorm;
    private final Linear expand;
    private final Linear contract;

    TransformerLayer(int index, int width, int heads, int hidden, float dropout) {
        super(VERSION);
        this.dropout = dropout;
        this.attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().axis(2).build());
        this.attention = addChildBlock("attention", new CausalSelfAttention(index, width, heads, dropout));
        this.mlpNorm = addChildBlock("mlp_norm", LayerNorm.builder().axis(2).build());
        this.expand = addChildBlock("expand", Linear.builder().setUnits(hidden).build());
        this.contract = addChildBlock("contract", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(store, inputs.singletonOrThrow(), training, null));
    }

    /** The same computation as {@link #apply} in inference mode, with the layers applied directly (see DirectOps). */
    @Override
    public NDList forwardCached(ParameterStore store, NDList inputs, KvCache cache) {
        NDArray x = inputs.singletonOrThrow();
        x = x.add(attention.attend(store, DirectOps.layerNorm(attentionNorm, x), false, cache));
        NDArray hidden = DirectOps.linear(expand, DirectOps.layerNorm(mlpNorm, x));
        return new NDList(x.add(DirectOps.linear(contract, Activation.gelu(hidden))));
    }

    /** One new position for each of n decoding slots (see {@link CausalSelfAttention#attendSlots}). */
    NDArray forwardSlots(NDArray x, SlotCache slots) {
        x = x.add(attention.attendSlots(DirectOps.layerNorm(attentionNorm, x), slots));
        NDArray hidden = DirectOps.linear(expand, DirectOps.layerNorm(mlpNorm, x));
        return x.add(DirectOps.linear(contract, Activation.gelu(hidden)));
    }

    CausalSelfAttention attention() {
        return attention;
    }

    private NDArray apply(ParameterStore store, NDArray x, boolean training, KvCache cache) {
        NDArray normed = attentionNorm.forward(store, new NDList(x), training).singletonOrThrow();
        x = x.add(dropout(attention.attend(store, normed, training, cache), training));
        NDArray hidden = expand.forward(store, mlpNorm.forward(store, new NDList(x), training), training).singletonOrThrow();
        NDArray mlp = contract.forward(store, new NDList(Activation.gelu(hidden)), training).singletonOrThrow();
        return x.add(dropout(mlp, training));
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && dropout > 0 ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attentionNorm.initialize(manager, dataType, inputShapes);
        attention.initialize(manager, dataType, inputShapes);
        mlpNorm.initialize(manager, dataType, inputShapes);
        expand.initialize(manager, dataType, inputShapes);
        contract.initialize(manager, dataType, expand.getOutputShapes(inputShapes));
    }
}
