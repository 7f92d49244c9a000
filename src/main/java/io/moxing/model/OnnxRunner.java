package io.moxing.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one place an ONNX graph with one float input and one float output is run: an imported ONNX backbone, and a
 * version that is one whole ONNX graph ({@code moxing compress --method onnx-int8}), whose predictions go through
 * {@link #predict} with no tensor of the DJL engine on the way. Even a copy into a libtorch tensor is a parallel
 * region whose OpenMP workers then spin for a while, and on two cores they took the cores from ONNX Runtime's own
 * threads: cnn-28 in int8 ran at 12,600 images/s interleaved with one small libtorch operation per batch, and at
 * 50,000 alone (docs/DECISIONS.md).
 */
public final class OnnxRunner implements AutoCloseable {
    private final OrtSession session;
    private final String input;
    private final Path file;

    /** Opens {@code file}; a file ONNX Runtime cannot load is a {@link OrtException} for the caller to word. */
    public OnnxRunner(Path file) throws OrtException {
        this.file = file;
        this.session = session(file);
        this.input = session.getInputNames().iterator().next();
    }

    /** A session with Moxing's settings ({@link #options}) for a model in memory. */
    public static OrtSession session(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = options()) {
            return OrtEnvironment.getEnvironment().createSession(model, options);
        }
    }

    /** A session with Moxing's settings for a model file (this runner's, or a sentence encoder's, whose inputs differ). */
    public static OrtSession session(Path file) throws OrtException {
        try (OrtSession.SessionOptions options = options()) {
            return OrtEnvironment.getEnvironment().createSession(file.toString(), options);
        }
    }

    /**
     * The process's intra-op thread count (the one setting the DJL engine reads too, {@code ai.djl.pytorch.num_threads},
     * every core by default), and whether ONNX Runtime's threads spin between calls: they do unless
     * {@code MOXING_ONNX_SPINNING=0}, which {@code ./moxing serve} sets (in a server, a spinning thread takes the core
     * from the threads that read and answer requests).
     */
    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(io.moxing.core.DeepLearning.intraOpThreads());
        if ("0".equals(System.getenv("MOXING_ONNX_SPINNING"))) {
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        return options;
    }

    /** One batch's output, flat, and its shape. */
    public record Output(float[] values, long[] shape) {}

    /** Runs one batch of {@code shape} (batch first) held in {@code values[offset, offset + size)}. */
    public Output run(float[] values, int offset, int size, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(values, offset, size).slice(), shape);
             OrtSession.Result result = session.run(Map.of(input, x))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer y = out.getFloatBuffer();
            float[] data = new float[y.remaining()];
            y.get(data);
            return new Output(data, out.getInfo().getShape());
        }
    }

    /** Outputs for {@code count} samples packed in {@code features}, each of {@code sampleShape}, in batches. */
    public float[][] predict(float[] features, long[] sampleShape, int count, int batchSize) {
        return PackedBatches.run(features, sampleShape, count, batchSize, (offset, size, shape) -> {
            try {
                return run(features, offset, size, shape).values();
            } catch (OrtException e) {
                throw new IllegalStateException(file + ": ONNX Runtime failed on a batch of " + shape[0] + ": "
                        + e.getMessage(), e);
            }
        });
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
