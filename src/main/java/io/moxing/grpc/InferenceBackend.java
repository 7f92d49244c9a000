package io.moxing.grpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the gRPC service needs from the server behind it: readiness, a model's metadata, and running a
 * model on samples through the same admission, batching and metering as every other request. Refusals
 * are thrown (or complete the future) as {@link Refused}; {@code version} is null when the caller leaves
 * the choice to the server, {@code authorization} and {@code idempotencyKey} are null when not sent.
 */
public interface InferenceBackend {
    /** False while the server drains for shutdown. */
    boolean ready();

    /**
     * Whether answering a call may wait on the state database (authenticating a key, a quota or an idempotency
     * look-up): such calls must not run on the transport's event loop.
     */
    boolean readsDatabase();

    ModelInfo metadata(String model, String version, String authorization);

    boolean modelReady(String model, String version, String authorization);

    /**
     * Runs the version chosen for this call on the samples {@code samples} decodes for it: decoding waits
     * until the version is known because a deployment's versions may take different shapes.
     */
    CompletableFuture<Inferred> infer(String model, String version, String authorization, String idempotencyKey,
                                      Samples samples);

    /** A request's samples for the version that will run them; a request that does not fit throws {@link Refused}. */
    @FunctionalInterface
    interface Samples {
        List<float[]> decode(Signature signature);
    }

    /** A tensor as metadata describes it; -1 marks the batch dimension. */
    record TensorInfo(String name, String datatype, List<Long> shape) {}

    record ModelInfo(String name, List<String> versions, String platform, TensorInfo input, TensorInfo output) {}

    /** What one version takes and gives: its input's name and the shape of one sample, its output's name. */
    record Signature(String model, String input, List<Integer> sampleShape, String output) {}

    /** A request's outputs, one row per sample, in the order of the samples, and the id it is metered under. */
    record Inferred(String model, String version, String output, List<float[]> outputs, String predictionId) {}
}
