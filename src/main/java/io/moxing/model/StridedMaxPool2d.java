package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Max pooling whose window equals its stride (the common 2x2/2 case), computed as the element-wise
 * maximum of the k*k strided views of the input. Same result and gradient as max_pool2d, about three
 * times faster on CPU, because PyTorch's NCHW max-pool kernel tracks indices element by element
 * (measured in docs/BENCHMARKS.md).
 */
final class StridedMaxPool2d extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int size;
    private final NDIndex[] views;

    StridedMaxPool2d(int size) {
        super(VERSION);
        this.size = size;
        this.views = new NDIndex[size * size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                views[r * size + c] = new NDIndex("..., {}::{}, {}::{}", r, size, c, size);
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (Boolean.getBoolean("moxing.clpool")) {
            Shape sh = x.getShape();
            NDArray cl = x.transpose(0, 2, 3, 1).reshape(sh.get(0), sh.get(2), sh.get(3), sh.get(1)).transpose(0, 3, 1, 2);
            return new NDList(ai.djl.nn.pooling.Pool.maxPool2d(cl, new Shape(size, size), new Shape(size, size), new Shape(0, 0), false));
        }
        long h = x.getShape().get(2) / size * size;
        long w = x.getShape().get(3) / size * size;
        if (h != x.getShape().get(2) || w != x.getShape().get(3)) {
            // floor mode: rows and columns that do not fill a window are dropped, as max_pool2d does
            x = x.get(new NDIndex(":, :, :{}, :{}", h, w));
        }
        NDArray result = x.get(views[0]);
        for (int i = 1; i < views.length; i++) {
            NDArray view = x.get(views[i]);
            NDArray next = result.maximum(view);
            view.close();
            if (i > 1) {
                result.close();
            }
            result = next;
        }
        return new NDList(result);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), in.get(2) / size, in.get(3) / size)};
    }

    @Override
    public void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        // no parameters
    }

    @Override
    public String toString() {
        return "StridedMaxPool2d(" + size + ")";
    }
}
