package io.moxing.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code residual} layer: {@code y = f(x) + shortcut(x)}, where f is the list of layers it wraps
 * (He et al. 2016). The shortcut is the identity when f keeps the shape; when f changes the channels or
 * strides the image down, it is a 1x1 convolution with that stride (the paper's projection, option B),
 * so a block such as {@code {"type": "residual", "layers": [conv2d 64 stride 2, batchnorm, relu, conv2d 64,
 * batchnorm]}} compiles whatever its input.
 */
final class Residual {
    private Residual() {}

    static SpecCompiler.Shaped compile(LayerSpec layer, List<Long> in, ModelSpec spec) {
        layer.allowOnly(Set.of("layers"));
        SpecCompiler.requireRank(layer, in, 3, "[channels, height, width]");
        JsonNode nodes = layer.fields().get("layers");
        if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
            throw new UserException("invalid_spec", layer.where() + ": \"layers\" must be a non-empty list of the layers"
                    + " the block wraps, e.g. [{\"type\": \"conv2d\", \"filters\": 32, \"kernel\": 3, \"padding\": \"same\"}]");
        }
        SequentialBlock body = new SequentialBlock();
        List<Long> shape = in;
        long params = 0;
        long flops = 0;
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            if (!node.isObject() || !node.path("type").isTextual()) {
                throw new UserException("invalid_spec", layer.where() + ": layers[" + i + "] needs a \"type\", e.g."
                        + " {\"type\": \"conv2d\", \"filters\": 32, \"kernel\": 3}");
            }
            LayerSpec inner = new LayerSpec(i, node.get("type").asText(), (ObjectNode) node, layer.where());
            if (inner.type().equals("imported")) {
                throw new UserException("invalid_spec", inner.where() + ": an imported backbone cannot sit inside a residual block");
            }
            SpecCompiler.Shaped out = SpecCompiler.step(inner, shape, spec, 0);
            body.add(out.step().block());
            if (out.activation() != null && !out.activation().equals("linear")) {
                body.add(SpecCompiler.activationStep(out.activation(), inner).block());
            }
            shape = out.shape();
            params += out.step().parameters();
            flops += out.flops();
        }
        Block shortcut = Blocks.identityBlock();
        if (!shape.equals(in)) {
            int stride = strideBetween(layer, in, shape);
            shortcut = Conv2d.builder().setFilters(shape.get(0).intValue()).setKernelShape(new Shape(1, 1))
                    .optStride(new Shape(stride, stride)).optBias(false).build();
            params += in.get(0) * shape.get(0);
            flops += 2L * in.get(0) * shape.get(0) * shape.get(1) * shape.get(2);
        }
        flops += shape.stream().reduce(1L, Math::multiplyExact); // the addition
        Block sum = new ParallelBlock(Residual::add, List.of(body, shortcut));
        return new SpecCompiler.Shaped(new SpecCompiler.Step("residual", sum, layer, params), null, List.copyOf(shape), flops);
    }

    private static NDList add(List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    /** The projection's stride: the factor by which the wrapped layers shrank height and width, the same for both. */
    private static int strideBetween(LayerSpec layer, List<Long> in, List<Long> out) {
        if (out.size() == 3 && out.get(1) > 0 && in.get(1) % out.get(1) == 0 && in.get(2) % out.get(2) == 0
                && in.get(1) / out.get(1) == in.get(2) / out.get(2)) {
            return (int) (in.get(1) / out.get(1));
        }
        throw new UserException("invalid_spec", layer.where() + ": the wrapped layers turn " + in + " into " + out
                + "; a residual block must end in an image [channels, height, width] whose height and width divide the"
                + " input's by the same factor (use padding \"same\", and stride 2 to halve)");
    }

    /** Whether every layer a residual block wraps is one of {@code layers} (for the channels-last choice). */
    static boolean wrapsOnly(LayerSpec layer, Set<String> layers) {
        List<String> types = new ArrayList<>();
        layer.fields().path("layers").forEach(n -> types.add(n.path("type").asText()));
        return !types.isEmpty() && layers.containsAll(types);
    }
}
