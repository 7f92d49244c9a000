package io.moxing.predict;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.moxing.core.UserException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a version that is one whole ONNX graph ({@code moxing compress --method onnx-int8}) on packed samples, in
 * ONNX Runtime alone: no tensor of the DJL engine is made on the way in or out. Even a copy into a libtorch tensor
 * is a parallel region whose OpenMP workers then spin for a while, and on two cores they took the cores from ONNX
 * Runtime's own threads: cnn-28 in int8 ran at 12,600 images/s interleaved with one small libtorch operation per
 * batch, and at 50,000 alone (docs/DECISIONS.md). The graph applies the output head itself.
 */
final class OnnxGraphRunner implements AutoCloseable {
    private final OrtSession session;
    private final String input;
    private final Path file;

    OnnxGraphRunner(Path file) {
        this.file = file;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            this.session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
            this.input = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new UserException("corrupt_model", file + ": ONNX Runtime cannot load it (" + e.getMessage()
                    + "); the version is damaged, compress it again", e);
        }
    }

    /** Outputs for {@code count} samples packed in {@code features}, each of {@code sampleShape}, in batches. */
    float[][] run(float[] features, long[] sampleShape, int count, int batchSize) {
        int size = count == 0 ? 0 : features.length / count;
        float[][] out = new float[count][];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int from = 0; from < count; from += batchSize) {
            int n = Math.min(batchSize, count - from);
            long[] shape = new long[sampleShape.length + 1];
            shape[0] = n;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(features, from * size, n * size).slice(), shape);
                 OrtSession.Result result = session.run(Map.of(input, x))) {
                FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
                int width = y.remaining() / n;
                for (int i = 0; i < n; i++) {
                    out[from + i] = new float[width];
                    y.get(out[from + i]);
                }
            } catch (OrtException e) {
                throw new IllegalStateException(file + ": ONNX Runtime failed on a batch of " + n + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to free
        }
    }
}
