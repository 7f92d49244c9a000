package io.moxing.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.UserException;
import io.moxing.model.CompiledModel;
import io.moxing.model.LayerSpec;
import io.moxing.model.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structured pruning: removes whole convolution filters and dense units, those with the smallest L1 norm of
 * their weights, from every conv2d and dense layer except the output layer, and cuts the matching inputs out of
 * the layer after each. The result is a smaller spec and its weights, copied from the kept rows and columns: a
 * network that does less work, not the same network with zeros in it (zeros in dense tensors cost a CPU exactly
 * what other numbers cost).
 */
final class StructuredPruning {
    /** Layers whose channels pass through unchanged (their kept channels are the previous layer's). */
    private static final Set<String> PASS_THROUGH = Set.of("maxpool", "avgpool", "global_avgpool", "global_maxpool",
            "dropout", "relu", "sigmoid", "tanh", "gelu", "softmax");

    private StructuredPruning() {}

    /** One parameter array: its values and shape. */
    record Weights(float[] values, long[] shape) {}

    /** The smaller spec and, per spec layer, its parameter arrays by name (empty for layers without any). */
    record Pruned(ModelSpec spec, List<Map<String, Weights>> layers) {}

    static Pruned prune(CompiledModel source, double ratio) {
        ModelSpec spec = source.spec();
        if (spec.isLanguageModel() || !spec.task().isClassification()) {
            throw new UserException("unsupported_model", spec.name() + " is a " + spec.task() + " model; structured pruning"
                    + " and its accuracy gate are built for classifiers");
        }
        int output = lastWeightedLayer(spec);
        List<LayerSpec> layers = new ArrayList<>();
        List<Map<String, Weights>> weights = new ArrayList<>();
        int[] kept = null; // the surviving channels or features of the tensor flowing into the current layer
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            Map<String, Weights> arrays = arrays(source, i);
            ObjectNode fields = layer.fields().deepCopy();
            fields.remove("pretrained"); // the weights come from the source version, not from a registry lookup
            switch (layer.type()) {
                case "conv2d", "dense" -> {
                    Weights w = arrays.get("weight");
                    if (kept != null) {
                        w = new Weights(ArraySlices.take(w.values(), w.shape(), 1, kept),
                                ArraySlices.resized(w.shape(), 1, kept.length));
                    }
                    int rows = (int) w.shape()[0];
                    int[] rowsKept = null;
                    if (i != output) {
                        int count = Math.max(1, (int) Math.round(rows * (1 - ratio)));
                        // scored on the full weights before the input cut: what the filter did in the original
                        Weights full = arrays.get("weight");
                        rowsKept = ArraySlices.largestRows(full.values(), full.shape(), count);
                        w = new Weights(ArraySlices.take(w.values(), w.shape(), 0, rowsKept),
                                ArraySlices.resized(w.shape(), 0, count));
                        fields.put(layer.type().equals("conv2d") ? "filters" : "units", count);
                    }
                    arrays.put("weight", w);
                    Weights b = arrays.get("bias");
                    if (b != null && rowsKept != null) {
                        arrays.put("bias", new Weights(ArraySlices.take(b.values(), b.shape(), 0, rowsKept),
                                new long[] {rowsKept.length}));
                    }
                    kept = rowsKept;
                }
                case "batchnorm" -> {
                    if (kept != null) {
                        for (var e : arrays.entrySet()) {
                            Weights v = e.getValue();
                            e.setValue(new Weights(ArraySlices.take(v.values(), v.shape(), 0, kept), new long[] {kept.length}));
                        }
                    }
                }
                case "flatten" -> {
                    if (kept != null) {
                        List<Long> in = source.layers().get(i - 1).outputShape();
                        int spatial = (int) (in.stream().reduce(1L, Math::multiplyExact) / in.get(0));
                        kept = ArraySlices.flattened(kept, spatial);
                    }
                }
                default -> {
                    if (!PASS_THROUGH.contains(layer.type())) {
                        throw new UserException("unsupported_model", layer.where() + ": structured pruning handles stacks of"
                                + " conv2d, dense, pooling, flatten, batchnorm, dropout and activation layers; this " + layer.type()
                                + " layer is not one (try --method int8 or distill)");
                    }
                }
            }
            layers.add(new LayerSpec(layer.index(), layer.type(), fields, layer.origin()));
            weights.add(arrays);
        }
        ModelSpec smaller = new ModelSpec(spec.formatVersion(), spec.name(), spec.description(), spec.task(), spec.input(),
                layers, spec.loss(), spec.initializer(), spec.optimizer(), spec.training(), spec.data(), spec.probe(),
                spec.dataset(), spec.text(), spec.testTimeAugmentation());
        return new Pruned(smaller, weights);
    }

    /** The output layer, never pruned: its units are the classes. */
    private static int lastWeightedLayer(ModelSpec spec) {
        for (int i = spec.layers().size() - 1; i >= 0; i--) {
            String type = spec.layers().get(i).type();
            if (type.equals("dense") || type.equals("conv2d")) return i;
        }
        throw new UserException("unsupported_model", spec.name() + " has no conv2d or dense layer to prune");
    }

    private static Map<String, Weights> arrays(CompiledModel model, int layer) {
        Map<String, Weights> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.layerBlocks().get(layer).getParameters()) {
            NDArray a = p.getValue().getArray();
            out.put(p.getKey(), new Weights(a.toFloatArray(), a.getShape().getShape()));
        }
        return out;
    }

    /** Copies {@code pruned}'s arrays into {@code target}, compiled from its spec and initialised. */
    static void load(Pruned pruned, CompiledModel target) {
        for (int i = 0; i < pruned.layers().size(); i++) {
            Map<String, Weights> arrays = pruned.layers().get(i);
            for (Pair<String, Parameter> p : target.layerBlocks().get(i).getParameters()) {
                Weights w = arrays.get(p.getKey());
                NDArray into = p.getValue().getArray();
                if (w == null || w.values().length != into.size()) {
                    throw new IllegalStateException("pruned layer " + i + " parameter " + p.getKey() + " does not fit "
                            + into.getShape());
                }
                into.set(java.nio.FloatBuffer.wrap(w.values()));
            }
        }
    }
}
