package io.moxing.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * The MobileNetV2 feature extractor (Sandler et al. 2018), laid out as torchvision's
 * {@code mobilenet_v2().features}: a 3x3 stride-2 stem, seventeen inverted residual blocks
 * (1x1 expansion, 3x3 depthwise, 1x1 linear projection, a shortcut where shapes allow), and a 1x1
 * convolution to 1280 channels. Convolutions have no bias; every one is followed by batch norm and,
 * except projections, ReLU6. Channel counts are scaled by the width multiplier and rounded to
 * multiples of 8.
 */
final class MobileNetV2 {
    /** Expansion t, output channels c, repeats n, first stride s: the paper's Table 2. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    private MobileNetV2() {}

    /** The block, its output shape for an input of {@code channels x height x width}, parameters and FLOPs. */
    record Backbone(Block block, List<Long> outputShape, long parameters, long flops) {}

    static Backbone build(double width, long channels, long height, long width2) {
        Counter count = new Counter(channels, height, width2);
        SequentialBlock features = new SequentialBlock();
        int stem = divisible(32 * width);
        features.add(convBnRelu6(count, stem, 3, 2, 1));
        for (int[] s : SETTINGS) {
            int out = divisible(s[1] * width);
            for (int i = 0; i < s[2]; i++) {
                features.add(invertedResidual(count, out, i == 0 ? s[3] : 1, s[0]));
            }
        }
        int last = divisible(1280 * Math.max(1.0, width));
        features.add(convBnRelu6(count, last, 1, 1, 1));
        return new Backbone(features, List.of(count.channels, count.height, count.width), count.parameters, count.flops);
    }

    private static Block invertedResidual(Counter count, int out, int stride, int expansion) {
        long in = count.channels;
        int hidden = (int) Math.round(in * (double) expansion);
        boolean shortcut = stride == 1 && in == out;
        SequentialBlock body = new SequentialBlock();
        if (expansion != 1) {
            body.add(convBnRelu6(count, hidden, 1, 1, 1));
        }
        body.add(convBnRelu6(count, hidden, 3, stride, hidden));
        body.add(convBn(count, out, 1, 1, 1));
        if (!shortcut) {
            return body;
        }
        // output = x + body(x)
        return new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                List.of(body, ai.djl.nn.Blocks.identityBlock()));
    }

    private static Block convBnRelu6(Counter count, int out, int kernel, int stride, int groups) {
        SequentialBlock b = (SequentialBlock) convBn(count, out, kernel, stride, groups);
        b.add(Activation.relu6Block());
        return b;
    }

    private static Block convBn(Counter count, int out, int kernel, int stride, int groups) {
        int pad = (kernel - 1) / 2;
        SequentialBlock b = new SequentialBlock();
        b.add(Conv2d.builder().setFilters(out).setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad)).optGroups(groups).optBias(false).build());
        // PyTorch's defaults: running statistics move by 0.1 per batch, epsilon 1e-5
        b.add(BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build());
        count.conv(out, kernel, stride, pad, groups);
        return b;
    }

    /** torchvision's _make_divisible: round to a multiple of 8, never more than 10% down. */
    static int divisible(double value) {
        int rounded = Math.max(8, (int) (value + 4) / 8 * 8);
        return rounded < 0.9 * value ? rounded + 8 : rounded;
    }

    /** Tracks the shape, learnable parameters (weights, BN scale and shift) and FLOPs as blocks are added. */
    private static final class Counter {
        long channels;
        long height;
        long width;
        long parameters;
        long flops;

        Counter(long channels, long height, long width) {
            this.channels = channels;
            this.height = height;
            this.width = width;
        }

        void conv(int out, int kernel, int stride, int pad, int groups) {
            height = (height + 2L * pad - kernel) / stride + 1;
            width = (width + 2L * pad - kernel) / stride + 1;
            long weights = (long) out * (channels / groups) * kernel * kernel;
            parameters += weights + 2L * out;
            flops += 2 * weights * height * width;
            channels = out;
        }
    }
}
