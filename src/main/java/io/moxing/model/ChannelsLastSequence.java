package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A sequence of layers whose image input is laid out channels-last (NHWC in memory, still NCHW in
 * shape) before the first layer. PyTorch's convolution then writes channels-last outputs, and its
 * max pooling has a vectorised kernel only for that layout: on cnn-28 the NCHW pooling alone took
 * 2.4 ms of a 7 ms training step, channels-last 0.2 ms (docs/DECISIONS.md has the measurements). The
 * layout is invisible to the layers' semantics: a flatten reshapes in logical (NCHW) order, and the
 * input's gradient flows back through the same transposes. Same parameters and names as a plain
 * sequence, so saved models load either way.
 *
 * <p>Only for stacks of PyTorch's own image layers: a layer that reads an array's raw memory
 * (an imported ONNX backbone) would see the channels in the wrong order.
 */
final class ChannelsLastSequence extends SequentialBlock {
    /** The layers measured with this layout; any other layer keeps the plain sequence. */
    static final java.util.Set<String> LAYERS = java.util.Set.of("conv2d", "maxpool", "avgpool", "global_avgpool",
            "global_maxpool", "flatten", "dense", "dropout", "batchnorm", "relu", "sigmoid", "tanh", "gelu", "softmax");

    /**
     * Whether a spec is an image stack that starts with a convolution and holds only {@link #LAYERS}, or
     * residual blocks of them (whose addition reads both branches in the same layout).
     */
    static boolean suits(ModelSpec spec) {
        return spec.input().size() == 3 && !spec.layers().isEmpty() && spec.layers().get(0).type().equals("conv2d")
                && spec.layers().stream().allMatch(l -> LAYERS.contains(l.type())
                        || (l.type().equals("residual") && Residual.wrapsOnly(l, LAYERS)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return super.forwardInternal(store, new NDList(channelsLast(inputs.singletonOrThrow())), training, params);
    }

    /**
     * The same array with NHWC memory: permuted to NHWC, flattened (the one copy), and viewed back as
     * NCHW, which leaves the channel stride 1, which PyTorch reads as channels-last. A single sample stays
     * NCHW: measured in one process, alternating, channels-last inference of one sample was 0.87x (cnn-28)
     * and 0.99x (lenet-cifar) of NCHW, while two samples were already 1.38x and 0.97x, four 1.55x and 1.22x.
     */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(0) == 1) {
            return x;
        }
        return x.transpose(0, 2, 3, 1).reshape(-1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }
}
