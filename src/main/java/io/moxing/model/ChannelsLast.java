package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Lays an image batch out channels-last in memory (NHWC) while keeping its logical NCHW shape. Put
 * before the first convolution, it makes oneDNN's convolution return channels-last outputs too, and
 * on those PyTorch's max-pool kernel runs about ten times faster than on NCHW (0.2 ms against 2.5 ms
 * for cnn-28's 32x32x26x26 batch here; docs/BENCHMARKS.md). Values and gradients are unchanged.
 */
final class ChannelsLast extends AbstractBlock {
    private static final byte VERSION = 1;

    ChannelsLast() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        // NCHW -> NHWC copy -> a NCHW view of it, whose strides are channels-last
        return new NDList(x.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no parameters
    }

    @Override
    public String toString() {
        return "ChannelsLast()";
    }
}
