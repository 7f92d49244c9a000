package io.moxing.compress;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.djl.ndarray.NDManager;
import io.moxing.data.SplitData;
import io.moxing.model.CompiledModel;
import io.moxing.model.OnnxRunner;
import io.moxing.predict.Inference;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code moxing compress --method onnx-int8}: the model exported to ONNX ({@link OnnxExport}), checked against the
 * DJL model's own answers, calibrated on training samples and rewritten with int8 weights and uint8 activations
 * ({@link StaticQuantization}) for ONNX Runtime's integer kernels (VNNI on this processor). The result is a file
 * that an {@code imported} layer runs, so the version loads, predicts and serves like any other.
 */
final class OnnxInt8 {
    /** Training samples whose activations set the ranges. */
    static final int CALIBRATION_SAMPLES = 1024;
    private static final int BATCH = 128;
    /** How far the exported float graph's probabilities may stray from the DJL model's before the export is wrong. */
    private static final double EXPORT_TOLERANCE = 1e-3;

    private OnnxInt8() {}

    /**
     * The int8 model's bytes, for {@code model} (its parameters in {@code manager}); its first training samples
     * calibrate the activations and check the export.
     */
    static byte[] build(CompiledModel model, NDManager manager, SplitData train, PrintStream log) {
        OnnxGraph fp32 = OnnxExport.of(model);
        Inference reference = new Inference(model.block(), model.head(), manager);
        float[] samples = calibrationSamples(train);
        int n = samples.length / train.sampleSize();
        List<String> tensors = StaticQuantization.tensorsToCalibrate(fp32);
        Map<String, float[]> ranges = new HashMap<>();
        double worst = 0;
        try (OrtSession session = OnnxRunner.session(fp32.toBytes(tensors))) {
            for (int from = 0; from < n; from += BATCH) {
                int count = Math.min(BATCH, n - from);
                float[] batch = java.util.Arrays.copyOfRange(samples, from * train.sampleSize(), (from + count) * train.sampleSize());
                Map<String, float[]> values = run(session, batch, count, fp32.sampleShape(), tensors, fp32.output());
                for (String t : tensors) widen(ranges, t, values.get(t));
                worst = Math.max(worst, maxDifference(rows(values.get(fp32.output()), count),
                        reference.run(batch, model.inputShape(), count, count)));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the exported model: " + e.getMessage(), e);
        }
        if (worst > EXPORT_TOLERANCE) {
            throw new IllegalStateException("the exported ONNX graph answers differently from the model (largest probability"
                    + " difference " + worst + " on " + n + " training samples): an export defect, not a user error");
        }
        log.printf("onnx-int8: exported %d nodes (float32 matches the model within %.1e on %,d training samples), calibrated"
                + " %d activations%n", fp32.nodes().size(), worst, n, tensors.size());
        return StaticQuantization.quantize(fp32, ranges).toBytes(List.of());
    }

    /**
     * Up to {@link #CALIBRATION_SAMPLES} training samples spread evenly over the split (a split sorted by class would
     * otherwise calibrate on a few classes), the same ones every time.
     */
    private static float[] calibrationSamples(SplitData train) {
        int n = Math.min(CALIBRATION_SAMPLES, train.count());
        int size = train.sampleSize();
        float[] out = new float[n * size];
        for (int i = 0; i < n; i++) {
            int from = (int) ((long) i * train.count() / n);
            System.arraycopy(train.features(), from * size, out, i * size, size);
        }
        return out;
    }


    /** The named outputs of one batch, flattened. */
    private static Map<String, float[]> run(OrtSession session, float[] batch, int count, long[] sampleShape,
                                            List<String> tensors, String output) throws OrtException {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = count;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        Set<String> wanted = new LinkedHashSet<>(tensors);
        wanted.add(output);
        Map<String, float[]> out = new HashMap<>();
        try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(batch), shape);
             OrtSession.Result result = session.run(Map.of(OnnxGraph.INPUT, input), wanted)) {
            for (String name : wanted) {
                OnnxValue v = result.get(name).orElseThrow();
                FloatBuffer values = ((OnnxTensor) v).getFloatBuffer();
                float[] data = new float[values.remaining()];
                values.get(data);
                out.put(name, data);
            }
        }
        return out;
    }

    private static void widen(Map<String, float[]> ranges, String tensor, float[] values) {
        float[] r = ranges.computeIfAbsent(tensor, t -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        for (float v : values) {
            if (v < r[0]) r[0] = v;
            if (v > r[1]) r[1] = v;
        }
    }

    /** A batch's flat outputs, one row per sample. */
    private static float[][] rows(float[] flat, int count) {
        int width = flat.length / count;
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        return out;
    }

    private static double maxDifference(float[][] a, float[][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) worst = Math.max(worst, Math.abs(a[i][c] - b[i][c]));
        }
        return worst;
    }
}
