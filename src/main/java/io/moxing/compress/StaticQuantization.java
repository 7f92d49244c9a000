package io.moxing.compress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a float32 {@link OnnxGraph} in ONNX's quantize/dequantize ("QDQ") form, which ONNX Runtime fuses into
 * its integer kernels (QLinearConv, QGemm, QLinearAdd, uint8 pooling) when it loads the model:
 * <ul>
 *   <li>weights of convolutions: int8, symmetric, one scale per output channel; of dense layers (Gemm): int8 with one
 *       scale (ONNX Runtime's QGemm takes a per-tensor weight scale); biases: int32 at the input scale times the
 *       weight scale, as the integer kernels add them;</li>
 *   <li>activations: uint8 with a scale and zero point from the range that calibration saw ({@code ranges}: min
 *       and max per tensor over calibration samples), each quantized once where it is made and dequantized for
 *       every quantized reader. A ReLU output's range starts at 0, so its zero point is 0 and ONNX Runtime drops the
 *       ReLU into the quantization;</li>
 *   <li>max pooling and flatten keep their input's scale (they only move values), so ONNX Runtime runs them on the
 *       uint8 values directly.</li>
 * </ul>
 * ONNX Runtime fuses an op into its integer kernel only when every reader of its output reads it quantized, so
 * the outputs of convolutions, dense layers, additions and average pooling (or of the ReLU straight after one) are
 * always quantized, and a float reader (batch norm not folded into a convolution, sigmoid, tanh) reads them through
 * a dequantize of its own. The logits and the output head stay float.
 */
final class StaticQuantization {
    /** Ops whose activation inputs are read quantized, and which of their inputs those are. */
    private static final Map<String, List<Integer>> QUANTIZED_INPUTS = Map.of("Conv", List.of(0), "Gemm", List.of(0),
            "Add", List.of(0, 1), "MaxPool", List.of(0), "AveragePool", List.of(0), "GlobalAveragePool", List.of(0),
            "Flatten", List.of(0));
    /** Ops with an integer kernel whose outputs are quantized (or, with a ReLU after them, the ReLU's). */
    private static final Set<String> INTEGER_OPS = Set.of("Conv", "Gemm", "Add", "AveragePool", "GlobalAveragePool");
    /** Ops whose output has exactly the values of their input: the output keeps the input's scale and zero point. */
    private static final Set<String> SAME_SCALE = Set.of("MaxPool", "Flatten");

    /**
     * The largest int8 weight. With VNNI the u8s8 kernels accumulate in 32 bits and take the full range; without it
     * (AVX2, AVX-512 before VNNI) they add pairs of products in 16 bits, which full-range weights can overflow, so
     * weights get 7 bits there, as ONNX Runtime's own quantizer does ("reduce_range"). A model quantized on a VNNI
     * machine and served on an older one can therefore saturate: quantize where it is served.
     */
    static final int WEIGHT_LIMIT = hasVnni() ? 127 : 63;

    /** A tensor's uint8 quantization: the scale and zero point as numbers and as the graph's constants. */
    private record Activation(float scale, int zeroPoint, String scaleName, String zeroPointName, String quantized) {}

    private final OnnxGraph source;
    private final Map<String, float[]> ranges;
    private final OnnxGraph out;
    private final Map<String, Activation> activations = new HashMap<>();
    /** For a tensor made by a same-scale op, the tensor whose quantization it shares. */
    private final Map<String, String> sameScaleAs = new HashMap<>();
    /** Tensors every reader reads quantized, whatever op it is: see {@link #alwaysQuantized}. */
    private final Set<String> alwaysQuantized;

    private StaticQuantization(OnnxGraph source, Map<String, float[]> ranges) {
        this.source = source;
        this.ranges = ranges;
        this.out = new OnnxGraph(source.sampleShape());
        this.alwaysQuantized = alwaysQuantized(source);
    }

    /** The tensors whose ranges {@link #quantize} needs: the activation inputs of the ops it quantizes, and their outputs. */
    static List<String> tensorsToCalibrate(OnnxGraph graph) {
        Set<String> tensors = new java.util.LinkedHashSet<>();
        graph.nodes().stream().filter(n -> QUANTIZED_INPUTS.containsKey(n.op()))
                .forEach(n -> QUANTIZED_INPUTS.get(n.op()).forEach(i -> tensors.add(n.inputs().get(i))));
        tensors.addAll(alwaysQuantized(graph));
        return List.copyOf(tensors);
    }

    /**
     * The outputs of the integer ops, or of the ReLU that is an output's only reader (ONNX Runtime folds a ReLU into
     * the quantization after it), but never the network's output.
     */
    private static Set<String> alwaysQuantized(OnnxGraph graph) {
        Map<String, List<OnnxGraph.Node>> readers = new HashMap<>();
        for (OnnxGraph.Node n : graph.nodes()) {
            for (String in : n.inputs()) readers.computeIfAbsent(in, k -> new java.util.ArrayList<>()).add(n);
        }
        Set<String> out = new java.util.HashSet<>();
        for (OnnxGraph.Node n : graph.nodes()) {
            if (!INTEGER_OPS.contains(n.op())) continue;
            List<OnnxGraph.Node> r = readers.getOrDefault(n.output(), List.of());
            String t = r.size() == 1 && r.get(0).op().equals("Relu") ? r.get(0).output() : n.output();
            if (!t.equals(graph.output()) && !t.equals(graph.logits())) out.add(t);
        }
        return out;
    }

    static OnnxGraph quantize(OnnxGraph graph, Map<String, float[]> ranges) {
        return new StaticQuantization(graph, ranges).run();
    }

    private OnnxGraph run() {
        for (OnnxGraph.Node n : source.nodes()) {
            List<Integer> quantized = QUANTIZED_INPUTS.getOrDefault(n.op(), List.of());
            String[] inputs = n.inputs().toArray(String[]::new);
            for (int i = 0; i < inputs.length; i++) {
                if (quantized.contains(i) || alwaysQuantized.contains(inputs[i])) inputs[i] = dequantized(inputs[i]);
            }
            if (SAME_SCALE.contains(n.op()) && !quantized.isEmpty()) {
                sameScaleAs.put(n.output(), root(n.inputs().get(0)));
            }
            if (n.op().equals("Conv")) {
                Activation x = activation(n.inputs().get(0));
                float[] scales = weights(inputs, 1, true);
                bias(inputs, x.scale(), scales);
            } else if (n.op().equals("Gemm")) {
                Activation x = activation(n.inputs().get(0));
                float[] scales = weights(inputs, 1, false);
                bias(inputs, x.scale(), scales);
            } else {
                for (int i = 0; i < inputs.length; i++) copyConstant(inputs[i]);
            }
            out.add(new OnnxGraph.Node(n.op(), List.of(inputs), n.output(), n.attributes()));
        }
        out.output(source.output(), source.logits());
        return out;
    }

    /** A new dequantized copy of {@code tensor} for one reader, quantizing the tensor first if nothing has yet. */
    private String dequantized(String tensor) {
        Activation a = activation(tensor);
        return out.node("DequantizeLinear", Map.of(), a.quantized(), a.scaleName(), a.zeroPointName());
    }

    private Activation activation(String tensor) {
        Activation known = activations.get(tensor);
        if (known != null) return known;
        String root = root(tensor);
        Activation shared = root.equals(tensor) ? null : activations.get(root);
        Activation a;
        if (shared != null) {
            a = new Activation(shared.scale(), shared.zeroPoint(), shared.scaleName(), shared.zeroPointName(), null);
        } else {
            float[] range = ranges.get(tensor);
            if (range == null) throw new IllegalStateException("no calibrated range for " + tensor);
            float lo = Math.min(0, range[0]);
            float hi = Math.max(0, range[1]);
            // a tensor that never varied (a dead channel's) gets an ordinary scale: a tiny one would overflow the biases
            // of the layers that read it, which are divided by it
            float scale = hi - lo > 1e-6f ? (hi - lo) / 255f : 1f / 255f;
            int zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
            a = new Activation(scale, zeroPoint, out.floats("xs", new long[0], new float[] {scale}),
                    out.uint8("xzp", zeroPoint), null);
        }
        String q = out.node("QuantizeLinear", Map.of(), tensor, a.scaleName(), a.zeroPointName());
        a = new Activation(a.scale(), a.zeroPoint(), a.scaleName(), a.zeroPointName(), q);
        activations.put(tensor, a);
        return a;
    }

    /** The tensor whose quantization {@code tensor} shares (itself unless a same-scale op made it). */
    private String root(String tensor) {
        String r = tensor;
        while (sameScaleAs.containsKey(r)) r = sameScaleAs.get(r);
        return r;
    }

    /**
     * Replaces float weight input {@code index} with an int8 copy and its dequantization: one scale per output
     * channel (axis 0) or one for the tensor. Returns the scale of each output channel.
     */
    private float[] weights(String[] inputs, int index, boolean perChannel) {
        OnnxGraph.Constant c = source.constant(inputs[index]);
        float[] w = OnnxGraph.floatsOf(c);
        int channels = (int) c.dims()[0];
        int per = w.length / channels;
        float[] scales = new float[channels];
        float overall = 0;
        for (int ch = 0; ch < channels; ch++) {
            float max = 0;
            for (int j = 0; j < per; j++) max = Math.max(max, Math.abs(w[ch * per + j]));
            scales[ch] = max > 0 ? max / WEIGHT_LIMIT : 1f;
            overall = Math.max(overall, max);
        }
        if (!perChannel) java.util.Arrays.fill(scales, overall > 0 ? overall / WEIGHT_LIMIT : 1f);
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = (byte) Math.max(-WEIGHT_LIMIT, Math.min(WEIGHT_LIMIT, Math.round(w[i] / scales[i / per])));
        }
        String wq = out.int8s("wq", c.dims(), q);
        String dq;
        if (perChannel) {
            dq = out.node("DequantizeLinear", Map.of("axis", 0L), wq, out.floats("ws", new long[] {channels}, scales),
                    out.int8s("wzp", new long[] {channels}, new byte[channels]));
        } else {
            dq = out.node("DequantizeLinear", Map.of(), wq, out.floats("ws", new long[0], new float[] {scales[0]}),
                    out.int8s("wzp", new long[0], new byte[1]));
        }
        inputs[index] = dq;
        return scales;
    }

    /** Replaces the float bias (input 2) with int32 at the input's scale times each channel's weight scale. */
    private void bias(String[] inputs, float inputScale, float[] weightScales) {
        if (inputs.length < 3) return;
        float[] b = OnnxGraph.floatsOf(source.constant(inputs[2]));
        int[] q = new int[b.length];
        float[] scales = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            scales[i] = inputScale * weightScales[i];
            q[i] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, Math.round((double) b[i] / scales[i])));
        }
        inputs[2] = out.node("DequantizeLinear", Map.of("axis", 0L), out.int32s("bq", new long[] {b.length}, q),
                out.floats("bs", new long[] {b.length}, scales));
    }

    /** Whether this processor has VNNI (AVX-512 or AVX), by the kernel's list of its flags. */
    private static boolean hasVnni() {
        try {
            String flags = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
            return flags.contains("avx512_vnni") || flags.contains("avx_vnni");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Copies a float constant the node reads as it is (batch norm's statistics). */
    private void copyConstant(String name) {
        OnnxGraph.Constant c = source.constant(name);
        if (c != null) out.put(c);
    }
}
