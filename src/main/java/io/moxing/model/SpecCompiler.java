package io.moxing.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;
import io.moxing.core.UserException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compiles a {@link ModelSpec} to a DJL block, checking every layer's input shape on the way so that
 * a mistake is reported against the layer that makes it, and counting parameters and FLOPs.
 */
public final class SpecCompiler {
    static final Set<String> ACTIVATIONS = Set.of("relu", "sigmoid", "tanh", "gelu", "softmax", "linear");
    static final Set<String> LAYER_TYPES = Set.of("dense", "conv2d", "maxpool", "avgpool", "global_avgpool",
            "global_maxpool", "flatten", "reshape", "lstm", "gru", "mobilenetv2", "imported", "embedding", "transformer", "dropout", "batchnorm", "layernorm", "relu", "sigmoid",
            "tanh", "gelu", "softmax", "residual");

    private SpecCompiler() {}

    /** One step of the compiled network, with the layer it came from. */
    record Step(String kind, Block block, LayerSpec origin, long parameters) {}

    public static CompiledModel compile(ModelSpec spec) {
        return compile(spec, Path.of("").toAbsolutePath());
    }

    /** Compiles with relative file paths in the spec (imported backbones) resolved against {@code base}. */
    public static CompiledModel compile(ModelSpec spec, Path base) {
        List<Step> steps = new ArrayList<>();
        List<LayerSummary> summary = new ArrayList<>();
        List<Block> layerBlocks = new ArrayList<>();
        List<Long> shape = new ArrayList<>(spec.input().stream().map(Integer::longValue).toList());
        long flops = 0;
        long params = 0;
        int attentionLayers = 0;
        for (LayerSpec layer : spec.layers()) {
            Shaped out = layer.type().equals("imported") ? imported(layer, shape, base)
                    : step(layer, shape, spec, attentionLayers);
            if (out.step.block instanceof SequentialBlock stack && layer.type().equals("transformer")) {
                attentionLayers += stack.getChildren().size();
            }
            Step step = out.step;
            if (!layer.trainable()) {
                // frozen before initialisation: its arrays are created without gradients
                step = new Step(step.kind, new Frozen(step.block), layer, step.parameters);
            }
            steps.add(step);
            layerBlocks.add(out.step.block);
            String activation = out.activation;
            if (activation != null && !activation.equals("linear")) {
                steps.add(activationStep(activation, layer));
            }
            shape = out.shape;
            flops += out.flops;
            params += out.step.parameters;
            summary.add(new LayerSummary(describe(layer, activation), List.copyOf(shape), out.step.parameters, out.flops));
        }
        OutputHead head = headFor(spec);
        String last = steps.get(steps.size() - 1).kind;
        if ((head == OutputHead.SOFTMAX && last.equals("softmax")) || (head == OutputHead.SIGMOID && last.equals("sigmoid"))) {
            // the loss applies it to the logits, more stably; prediction applies it as the head
            steps.remove(steps.size() - 1);
        }
        checkOutput(spec, shape);
        SequentialBlock block = ChannelsLastSequence.suits(spec) ? new ChannelsLastSequence() : new SequentialBlock();
        for (Step s : reorderActivationsAfterPooling(steps)) {
            block.add(s.block);
        }
        block.setInitializer(Initializers.of(spec.initializer()), Parameter.Type.WEIGHT);
        return new CompiledModel(spec, block, head, summary, layerBlocks, params, flops);
    }

    /**
     * ReLU followed by max pooling equals max pooling followed by ReLU (ReLU is monotonic), and the
     * second order applies ReLU to a quarter of the values: same results, less work.
     */
    private static List<Step> reorderActivationsAfterPooling(List<Step> steps) {
        List<Step> out = new ArrayList<>(steps);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).kind.equals("relu") && out.get(i + 1).kind.equals("maxpool")) {
                Step relu = out.get(i);
                out.set(i, out.get(i + 1));
                out.set(i + 1, relu);
                i++;
            }
        }
        return out;
    }

    /** Cross-entropy losses train on logits, so the network's outputs need their activation at prediction. */
    private static OutputHead headFor(ModelSpec spec) {
        return switch (spec.loss()) {
            case "cross_entropy" -> OutputHead.SOFTMAX;
            case "binary_cross_entropy" -> OutputHead.SIGMOID;
            default -> OutputHead.NONE;
        };
    }

    private static void checkOutput(ModelSpec spec, List<Long> shape) {
        if (spec.isLanguageModel()) {
            List<Long> expected = List.of((long) spec.input().get(0), (long) LanguageModelLayers.vocabulary(spec, null));
            if (!shape.equals(expected)) {
                throw new UserException("invalid_spec", spec.name() + ": the last layer produces shape " + shape
                        + "; a language model must end in " + expected + " (a dense layer with \"units\": \"vocabulary\")");
            }
            return;
        }
        if (shape.size() != 1) {
            throw new UserException("invalid_spec", spec.name() + ": the last layer produces shape " + shape
                    + "; a model must end in a flat vector (add a flatten or global pooling layer and a dense layer)");
        }
    }

    record Shaped(Step step, String activation, List<Long> shape, long flops) {}

    static Shaped step(LayerSpec layer, List<Long> in, ModelSpec spec, int attentionLayers) {
        return switch (layer.type()) {
            case "residual" -> Residual.compile(layer, in, spec);
            case "dense" -> dense(layer, in, spec);
            case "embedding" -> LanguageModelLayers.embedding(layer, in, spec);
            case "transformer" -> LanguageModelLayers.transformer(layer, in, attentionLayers);
            case "conv2d" -> conv2d(layer, in);
            case "maxpool", "avgpool" -> pool(layer, in);
            case "global_avgpool", "global_maxpool" -> {
                layer.allowOnly(Set.of());
                requireRank(layer, in, 3, "[channels, height, width]");
                Block b = layer.type().equals("global_avgpool") ? Pool.globalAvgPool2dBlock() : Pool.globalMaxPool2dBlock();
                yield new Shaped(new Step(layer.type(), b, layer, 0), null, List.of(in.get(0)), 0);
            }
            case "reshape" -> reshape(layer, in);
            case "lstm", "gru" -> recurrent(layer, in);
            case "mobilenetv2" -> {
                layer.allowOnly(Set.of("width"));
                requireRank(layer, in, 3, "[channels, height, width]");
                double width = layer.fields().path("width").asDouble(1.0);
                if (!(width > 0 && width <= 4)) {
                    throw new UserException("invalid_spec", layer.where() + ": \"width\" must be in (0, 4], e.g. 1.0 or 0.35");
                }
                MobileNetV2.Backbone b = MobileNetV2.build(width, in.get(0), in.get(1), in.get(2));
                yield new Shaped(new Step("mobilenetv2", b.block(), layer, b.parameters()), null, b.outputShape(), b.flops());
            }
            case "flatten" -> {
                layer.allowOnly(Set.of());
                long size = in.stream().reduce(1L, Math::multiplyExact);
                yield new Shaped(new Step("flatten", Blocks.batchFlattenBlock(), layer, 0), null, List.of(size), 0);
            }
            case "dropout" -> {
                layer.allowOnly(Set.of("rate"));
                float rate = (float) layer.fraction("rate", 0.5);
                yield new Shaped(new Step("dropout", Dropout.builder().optRate(rate).build(), layer, 0), null, in, 0);
            }
            case "batchnorm" -> {
                layer.allowOnly(Set.of());
                yield new Shaped(new Step("batchnorm", BatchNorm.builder().build(), layer, 2 * in.get(0)), null, in, 0);
            }
            case "layernorm" -> {
                layer.allowOnly(Set.of());
                long last = in.get(in.size() - 1);
                yield new Shaped(new Step("layernorm", LayerNorm.builder().axis(in.size()).build(), layer, 2 * last), null, in, 0);
            }
            case "relu", "sigmoid", "tanh", "gelu", "softmax" -> {
                layer.allowOnly(Set.of());
                yield new Shaped(activationStep(layer.type(), layer), null, in, 0);
            }
            default -> throw new UserException("invalid_spec", layer.where() + ": unknown layer type '" + layer.type()
                    + "'; known types: " + String.join(", ", new java.util.TreeSet<>(LAYER_TYPES)));
        };
    }

    private static Shaped dense(LayerSpec layer, List<Long> in, ModelSpec spec) {
        layer.allowOnly(Set.of("units", "activation", "bias"));
        int units = "vocabulary".equals(layer.fields().path("units").asText())
                ? LanguageModelLayers.vocabulary(spec, layer) : layer.positiveInt("units", null, "128");
        boolean bias = layer.flag("bias", true);
        long inFeatures = in.get(in.size() - 1);
        long positions = in.stream().reduce(1L, Math::multiplyExact) / inFeatures;
        List<Long> out = new ArrayList<>(in.subList(0, in.size() - 1));
        out.add((long) units);
        Block b = Linear.builder().setUnits(units).optBias(bias).build();
        long params = inFeatures * units + (bias ? units : 0);
        return new Shaped(new Step("dense", b, layer, params), activation(layer), out, 2 * positions * inFeatures * units);
    }

    /** A frozen feature extractor from a TorchScript or ONNX file; its output shape is found by running it once. */
    private static Shaped imported(LayerSpec layer, List<Long> in, Path base) {
        layer.allowOnly(Set.of("format", "path"));
        String format = layer.text("format", null, Set.of("torchscript", "onnx"));
        String path = layer.text("path", null, null);
        if (format == null || path == null) {
            throw new UserException("invalid_spec", layer.where() + ": needs \"format\" (torchscript or onnx) and \"path\","
                    + " e.g. {\"type\": \"imported\", \"format\": \"onnx\", \"path\": \"mobilenetv2.onnx\"}");
        }
        if (layer.fields().path("trainable").asBoolean(false)) {
            throw new UserException("invalid_spec", layer.where() + ": an imported backbone is always frozen; remove"
                    + " \"trainable\": true (to fine-tune, train Moxing's own mobilenetv2 layer)");
        }
        Path file = base.resolve(path);
        Shape out = ImportedBackbone.probe(format, file, in);
        List<Long> shape = new ArrayList<>();
        for (long d : out.getShape()) shape.add(d);
        return new Shaped(new Step("imported", new ImportedBackbone(format, file, out), layer, 0), null, shape, 0);
    }

    static Shaped conv2d(LayerSpec layer, List<Long> in) {
        layer.allowOnly(Set.of("filters", "kernel", "stride", "padding", "activation", "bias"));
        requireRank(layer, in, 3, "[channels, height, width]");
        int filters = layer.positiveInt("filters", null, "32");
        int[] k = layer.pair("kernel", null, "3 or [3, 3]");
        int[] s = layer.pair("stride", new int[] {1, 1}, "1 or [2, 2]");
        String padding = layer.text("padding", "valid", Set.of("valid", "same"));
        boolean bias = layer.flag("bias", true);
        int[] p = padding.equals("same") ? new int[] {(k[0] - 1) / 2, (k[1] - 1) / 2} : new int[] {0, 0};
        long h = (in.get(1) + 2L * p[0] - k[0]) / s[0] + 1;
        long w = (in.get(2) + 2L * p[1] - k[1]) / s[1] + 1;
        if (h <= 0 || w <= 0) {
            throw new UserException("invalid_spec", layer.where() + ": a " + k[0] + "x" + k[1] + " kernel does not fit the "
                    + in.get(1) + "x" + in.get(2) + " input; use a smaller kernel, padding \"same\", or fewer pooling layers before it");
        }
        Block b = Conv2d.builder().setFilters(filters).setKernelShape(new Shape(k[0], k[1]))
                .optStride(new Shape(s[0], s[1])).optPadding(new Shape(p[0], p[1])).optBias(bias).build();
        long params = in.get(0) * k[0] * k[1] * filters + (bias ? filters : 0);
        long flops = 2L * in.get(0) * k[0] * k[1] * filters * h * w;
        return new Shaped(new Step("conv2d", b, layer, params), activation(layer), List.of((long) filters, h, w), flops);
    }

    private static Shaped reshape(LayerSpec layer, List<Long> in) {
        layer.allowOnly(Set.of("shape"));
        var node = layer.fields().get("shape");
        List<Long> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(d -> out.add(d.isIntegralNumber() && d.asLong() > 0 ? d.asLong() : -1L));
        }
        long size = in.stream().reduce(1L, Math::multiplyExact);
        if (out.isEmpty() || out.contains(-1L) || out.stream().reduce(1L, Math::multiplyExact) != size) {
            throw new UserException("invalid_spec", layer.where() + ": \"shape\" must list positive sizes whose product is "
                    + size + " (the input " + in + "), e.g. [28, 28]");
        }
        long[] target = new long[out.size() + 1];
        target[0] = -1;
        for (int i = 0; i < out.size(); i++) target[i + 1] = out.get(i);
        Block b = new LambdaBlock(list -> new NDList(list.singletonOrThrow().reshape(new Shape(target))), "reshape");
        return new Shaped(new Step("reshape", b, layer, 0), null, out, 0);
    }

    /**
     * LSTM and GRU over a sequence [steps, features]: the whole output sequence with
     * {@code return_sequences}, otherwise the last step's output only.
     */
    private static Shaped recurrent(LayerSpec layer, List<Long> in) {
        layer.allowOnly(Set.of("units", "return_sequences", "layers", "bidirectional", "dropout"));
        requireRank(layer, in, 2, "[steps, features]");
        int units = layer.positiveInt("units", null, "128");
        int layers = layer.positiveInt("layers", 1, "1");
        boolean bidirectional = layer.flag("bidirectional", false);
        boolean sequences = layer.flag("return_sequences", false);
        float dropout = (float) layer.fraction("dropout", 0);
        boolean lstm = layer.type().equals("lstm");
        Block cell = lstm
                ? ai.djl.nn.recurrent.LSTM.builder().setStateSize(units).setNumLayers(layers).optBidirectional(bidirectional)
                        .optBatchFirst(true).optReturnState(false).optDropRate(dropout).build()
                : ai.djl.nn.recurrent.GRU.builder().setStateSize(units).setNumLayers(layers).optBidirectional(bidirectional)
                        .optBatchFirst(true).optReturnState(false).optDropRate(dropout).build();
        int directions = bidirectional ? 2 : 1;
        long gates = lstm ? 4 : 3;
        long steps = in.get(0);
        long params = 0;
        long flops = 0;
        long input = in.get(1);
        for (int l = 0; l < layers; l++) {
            // per direction: input and recurrent weights of every gate, and PyTorch's two bias vectors
            params += directions * gates * units * (input + units + 2);
            flops += directions * 2L * gates * units * (input + units) * steps;
            input = (long) units * directions;
        }
        Block b = cell;
        if (!sequences) {
            SequentialBlock last = new SequentialBlock();
            last.add(cell);
            last.add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().get(":, -1, :")), "last_step"));
            b = last;
        }
        List<Long> out = sequences ? List.of(steps, (long) units * directions) : List.of((long) units * directions);
        return new Shaped(new Step(layer.type(), b, layer, params), null, out, flops);
    }

    private static Shaped pool(LayerSpec layer, List<Long> in) {
        layer.allowOnly(Set.of("size", "stride"));
        requireRank(layer, in, 3, "[channels, height, width]");
        int[] size = layer.pair("size", new int[] {2, 2}, "2 or [2, 2]");
        int[] stride = layer.pair("stride", size, "2 or [2, 2]");
        long h = (in.get(1) - size[0]) / stride[0] + 1;
        long w = (in.get(2) - size[1]) / stride[1] + 1;
        if (h <= 0 || w <= 0) {
            throw new UserException("invalid_spec", layer.where() + ": a " + size[0] + "x" + size[1]
                    + " window does not fit the " + in.get(1) + "x" + in.get(2) + " input; remove this pooling layer or use a smaller size");
        }
        boolean max = layer.type().equals("maxpool");
        Block b;
        if (max) {
            b = Pool.maxPool2dBlock(new Shape(size[0], size[1]), new Shape(stride[0], stride[1]));
        } else {
            b = Pool.avgPool2dBlock(new Shape(size[0], size[1]), new Shape(stride[0], stride[1]));
        }
        return new Shaped(new Step(layer.type(), b, layer, 0), null, List.of(in.get(0), h, w), 0);
    }

    private static String activation(LayerSpec layer) {
        return layer.text("activation", null, ACTIVATIONS);
    }

    static Step activationStep(String name, LayerSpec origin) {
        Block b = switch (name) {
            case "relu" -> Activation.reluBlock();
            case "sigmoid" -> Activation.sigmoidBlock();
            case "tanh" -> Activation.tanhBlock();
            case "gelu" -> Activation.geluBlock();
            case "softmax" -> new LambdaBlock(list -> new NDList(list.singletonOrThrow().softmax(-1)), "softmax");
            default -> throw new UserException("invalid_spec", origin.where() + ": unknown activation '" + name
                    + "'; known: " + ACTIVATIONS);
        };
        return new Step(name, b, origin, 0);
    }

    static void requireRank(LayerSpec layer, List<Long> in, int rank, String expected) {
        if (in.size() != rank) {
            throw new UserException("invalid_spec", layer.where() + ": needs input of shape " + expected + " but gets "
                    + in + "; check \"input\" and the layers before it");
        }
    }

    private static String describe(LayerSpec layer, String activation) {
        StringBuilder b = new StringBuilder(layer.type());
        layer.fields().properties().forEach(e -> {
            if (!e.getKey().equals("type") && !e.getKey().equals("activation")) {
                b.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
        });
        if (activation != null) b.append(" + ").append(activation);
        return b.toString();
    }
}
