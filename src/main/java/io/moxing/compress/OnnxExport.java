package io.moxing.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.convolutional.Convolution;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.UserException;
import io.moxing.model.CompiledModel;
import io.moxing.model.LayerSpec;
import io.moxing.model.OutputHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained image classifier as a float32 {@link OnnxGraph}: the spec's layers, in order, with the weights of the
 * blocks they compiled to. A batch norm straight after a convolution or dense layer without an activation is folded
 * into its weights and bias (what inference computes anyway), dropout disappears, and the graph ends with the
 * output head (softmax), so that it answers what prediction answers. The layers a Moxing image classifier is made of are covered:
 * convolutions, batch norm, ReLU/sigmoid/tanh, max and average pooling (windowed and global), flatten, dense and
 * residual blocks; anything else is refused with the layer named. {@link OnnxInt8} checks every export against the
 * DJL model's own outputs before using it.
 */
final class OnnxExport {
    /** DJL's batch norm epsilon (BatchNorm.BaseBuilder's default, which SpecCompiler keeps). */
    private static final float BATCH_NORM_EPSILON = 1e-5f;
    private static final Set<String> SUPPORTED = Set.of("conv2d", "batchnorm", "relu", "sigmoid", "tanh", "softmax", "maxpool",
            "avgpool", "global_avgpool", "global_maxpool", "flatten", "dropout", "dense", "residual");

    private OnnxExport() {}

    static OnnxGraph of(CompiledModel model) {
        OnnxGraph g = new OnnxGraph(model.inputShape());
        List<LayerSpec> layers = model.spec().layers();
        List<Integer> ranks = new ArrayList<>();
        ranks.add(model.spec().input().size());
        for (int i = 0; i + 1 < layers.size(); i++) ranks.add(model.layers().get(i).outputShape().size());
        String x = layers(g, OnnxGraph.INPUT, layers, model.layerBlocks(), ranks);
        LayerSpec last = layers.get(layers.size() - 1);
        String lastStep = activation(last) != null ? activation(last) : last.type();
        boolean headInSpec = (model.head() == OutputHead.SOFTMAX && lastStep.equals("softmax"))
                || (model.head() == OutputHead.SIGMOID && lastStep.equals("sigmoid"));
        // the compiler leaves that last activation to prediction's head; the graph applies the head itself, so that a
        // request never calls libtorch (docs/DECISIONS.md: its OpenMP workers spin and take the cores from ONNX Runtime)
        String logits = headInSpec ? g.removeLast().inputs().get(0) : x;
        String out = switch (model.head()) {
            case SOFTMAX -> g.node("Softmax", Map.of("axis", -1L), logits);
            case SIGMOID -> g.node("Sigmoid", Map.of(), logits);
            case NONE -> logits;
        };
        g.output(out, logits);
        return g;
    }

    /**
     * Emits {@code layers} (each with the block it compiled to) after tensor {@code x}; returns the last tensor.
     * {@code inputRanks}: the rank of each layer's input (a sample's), which a dense layer needs to be 1.
     */
    private static String layers(OnnxGraph g, String x, List<LayerSpec> layers, List<Block> blocks, List<Integer> inputRanks) {
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (!SUPPORTED.contains(layer.type()) || (layer.type().equals("dense") && inputRanks.get(i) != 1)) {
                throw new UserException("unsupported_model", layer.where() + ": a " + layer.type() + " layer"
                        + (layer.type().equals("dense") ? " on a sample of rank " + inputRanks.get(i) : "") + " has no ONNX"
                        + " export here; --method onnx-int8 takes image classifiers made of " + new java.util.TreeSet<>(SUPPORTED)
                        + ", with dense layers after a flatten or global pooling");
            }
            Block block = blocks.get(i);
            boolean foldNext = activation(layer) == null && i + 1 < layers.size() && layers.get(i + 1).type().equals("batchnorm");
            if (layer.type().equals("conv2d") && foldNext) {
                x = conv(g, x, (Convolution) block, blocks.get(i + 1));
                i++;
            } else if (layer.type().equals("dense") && foldNext) {
                x = dense(g, x, block, blocks.get(i + 1));
                i++;
            } else {
                x = layer(g, x, layer, block);
            }
        }
        return x;
    }

    private static String layer(OnnxGraph g, String x, LayerSpec layer, Block block) {
        return switch (layer.type()) {
            case "conv2d" -> activate(g, conv(g, x, (Convolution) block, null), activation(layer));
            case "dense" -> activate(g, dense(g, x, block, null), activation(layer));
            case "batchnorm" -> {
                BatchNormValues bn = BatchNormValues.of(block);
                long[] c = {bn.gamma.length};
                yield g.node("BatchNormalization", Map.of("epsilon", BATCH_NORM_EPSILON), x, g.floats("gamma", c, bn.gamma),
                        g.floats("beta", c, bn.beta), g.floats("mean", c, bn.mean), g.floats("var", c, bn.var));
            }
            case "relu", "sigmoid", "tanh", "softmax" -> activate(g, x, layer.type());
            case "maxpool", "avgpool" -> {
                int[] size = layer.pair("size", new int[] {2, 2}, "2");
                int[] stride = layer.pair("stride", size, "2");
                yield g.node(layer.type().equals("maxpool") ? "MaxPool" : "AveragePool", Map.of(
                        "kernel_shape", new long[] {size[0], size[1]}, "strides", new long[] {stride[0], stride[1]}), x);
            }
            case "global_avgpool", "global_maxpool" -> g.node("Flatten", Map.of("axis", 1L),
                    g.node(layer.type().equals("global_avgpool") ? "GlobalAveragePool" : "GlobalMaxPool", Map.of(), x));
            case "flatten" -> g.node("Flatten", Map.of("axis", 1L), x);
            case "dropout" -> x;
            case "residual" -> residual(g, x, layer, (ParallelBlock) block);
            default -> throw new IllegalStateException(layer.type());
        };
    }

    /** y = body(x) + shortcut(x); the body's blocks sit in a sequence with an extra block after each activated layer. */
    private static String residual(OnnxGraph g, String x, LayerSpec layer, ParallelBlock block) {
        Block body = block.getChildren().get(0).getValue();
        Block shortcut = block.getChildren().get(1).getValue();
        List<Block> children = new ArrayList<>(body.getChildren().values());
        List<LayerSpec> inner = new ArrayList<>();
        List<Block> innerBlocks = new ArrayList<>();
        int child = 0;
        JsonNode nodes = layer.fields().get("layers");
        for (int i = 0; i < nodes.size(); i++) {
            LayerSpec l = new LayerSpec(i, nodes.get(i).get("type").asText(), (ObjectNode) nodes.get(i), layer.where());
            inner.add(l);
            innerBlocks.add(children.get(child++));
            if (activation(l) != null) child++; // the activation the compiler added after it
        }
        String y = layers(g, x, inner, innerBlocks, java.util.Collections.nCopies(inner.size(), 3));
        String skip = x;
        if (shortcut instanceof Convolution projection) {
            // the projection (option B) when the body changes the channels or the size: a 1x1 convolution, no bias
            skip = conv(g, x, projection, null);
        }
        return g.node("Add", Map.of(), y, skip);
    }

    /**
     * A convolution as its block runs it (kernel, stride and padding read from the block), with the batch norm that
     * follows it (null: none) folded into its weights and bias.
     */
    private static String conv(OnnxGraph g, String x, Convolution block, Block batchNorm) {
        long[] k = block.getKernelShape().getShape();
        long[] s = block.getStride().getShape();
        long[] p = block.getPadding().getShape();
        NDArray weight = parameter(block, "weight");
        long[] dims = weight.getShape().getShape();
        float[] w = weight.toFloatArray();
        int out = (int) dims[0];
        float[] b = block.isIncludeBias() ? parameter(block, "bias").toFloatArray() : new float[out];
        fold(w, b, batchNorm);
        return g.node("Conv", Map.of("kernel_shape", k, "strides", s, "pads", new long[] {p[0], p[1], p[0], p[1]}),
                x, g.floats("w", dims, w), g.floats("b", new long[] {out}, b));
    }

    /**
     * A dense layer as Gemm with the weight [units, inputs] as DJL stores it (transB), with the batch norm that
     * follows it (null: none) folded into its rows and bias.
     */
    private static String dense(OnnxGraph g, String x, Block block, Block batchNorm) {
        NDArray weight = parameter(block, "weight");
        long[] dims = weight.getShape().getShape();
        float[] w = weight.toFloatArray();
        float[] b = block.getParameters().contains("bias") ? parameter(block, "bias").toFloatArray() : new float[(int) dims[0]];
        fold(w, b, batchNorm);
        return g.node("Gemm", Map.of("transB", 1L), x, g.floats("w", dims, w), g.floats("b", new long[] {dims[0]}, b));
    }

    /**
     * Folds an inference-mode batch norm (null: none) into the layer before it: output channel c of weights {@code w}
     * (the rows of a [channels, ...] array) and bias {@code b} scaled by gamma / sqrt(var + eps), the bias shifted.
     */
    private static void fold(float[] w, float[] b, Block batchNorm) {
        if (batchNorm == null) return;
        BatchNormValues bn = BatchNormValues.of(batchNorm);
        int channels = b.length;
        int per = w.length / channels;
        for (int c = 0; c < channels; c++) {
            float factor = bn.gamma[c] / (float) Math.sqrt(bn.var[c] + BATCH_NORM_EPSILON);
            for (int j = 0; j < per; j++) w[c * per + j] *= factor;
            b[c] = (b[c] - bn.mean[c]) * factor + bn.beta[c];
        }
    }

    private static String activate(OnnxGraph g, String x, String activation) {
        if (activation == null) return x;
        return switch (activation) {
            case "relu" -> g.node("Relu", Map.of(), x);
            case "sigmoid" -> g.node("Sigmoid", Map.of(), x);
            case "tanh" -> g.node("Tanh", Map.of(), x);
            case "softmax" -> g.node("Softmax", Map.of("axis", -1L), x);
            default -> throw new UserException("unsupported_model", "the " + activation + " activation has no ONNX export here;"
                    + " --method onnx-int8 takes relu, sigmoid, tanh and softmax");
        };
    }

    /** A layer's own activation ({@code "activation": "relu"}), null for none or linear. */
    private static String activation(LayerSpec layer) {
        JsonNode a = layer.fields().get("activation");
        return a == null || a.isNull() || a.asText().equals("linear") ? null : a.asText();
    }

    private static NDArray parameter(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException("block " + block + " has no initialised parameter " + name);
        }
        return p.getArray();
    }

    /** A batch norm's scale, shift and running statistics. */
    private record BatchNormValues(float[] gamma, float[] beta, float[] mean, float[] var) {
        static BatchNormValues of(Block block) {
            return new BatchNormValues(parameter(block, "gamma").toFloatArray(), parameter(block, "beta").toFloatArray(),
                    parameter(block, "runningMean").toFloatArray(), parameter(block, "runningVar").toFloatArray());
        }
    }
}
