package io.moxing.http;

import io.moxing.grpc.InferenceBackend;
import io.moxing.grpc.Refused;
import io.moxing.http.InferenceCore.Admitted;
import io.moxing.serve.LiveDeployments;
import io.moxing.serve.LiveTarget;
import io.moxing.serve.ServerMetrics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The gRPC endpoint's way into this server: the same deployments, traffic split and {@link InferenceCore}
 * (admission, batching per tenant, idempotency, metering) as the HTTP routes, so a call is admitted, run
 * and metered exactly as {@code POST /v2/models/{name}/infer} is. Refusals leave as {@link Refused} with
 * the status HTTP would have answered.
 */
final class GrpcBackend implements InferenceBackend {
    private static final String INPUT = "input";
    private static final String OUTPUT = "output";
    /**
     * How a ModelInfer answer is kept for idempotent replays: its rows as little-endian FP32, the row width
     * in the media type (what is kept of an answer is its bytes and media type).
     */
    private static final String KEPT_ROWS = "application/vnd.moxing.fp32-rows; width=";
    // short: the kept content type is a VARCHAR(100) column
    private static final String PREDICTION_ID = "; id=";
    private final LiveDeployments live;
    private final InferenceCore core;
    private final ServerMetrics metrics;
    private final AtomicInteger inFlight;
    private final BooleanSupplier draining;

    GrpcBackend(LiveDeployments live, InferenceCore core, ServerMetrics metrics, AtomicInteger inFlight,
                BooleanSupplier draining) {
        this.live = live;
        this.core = core;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.draining = draining;
    }

    @Override
    public boolean readsDatabase() {
        return core.metered();
    }

    @Override
    public boolean ready() {
        return !draining.getAsBoolean();
    }

    @Override
    public ModelInfo metadata(String model, String version, String authorization) {
        try {
            LiveTarget t = target(model, version, authorization);
            List<Long> input = new ArrayList<>();
            input.add(-1L);
            t.card().inputShape().forEach(d -> input.add(d.longValue()));
            long outputs = t.predictor().outputWidth();
            return new ModelInfo(model, live.targets(model).stream().map(x -> Integer.toString(x.card().version())).toList(),
                    "moxing_djl_pytorch", new TensorInfo(INPUT, "FP32", input), new TensorInfo(OUTPUT, "FP32", List.of(-1L, outputs)));
        } catch (ApiError e) {
            throw refused(e);
        }
    }

    @Override
    public boolean modelReady(String model, String version, String authorization) {
        try {
            target(model, version, authorization);
            return ready();
        } catch (ApiError e) {
            throw refused(e);
        }
    }

    /** Authenticates, picks the target, decodes for it, then lets {@link InferenceCore} admit, run and meter. */
    @Override
    public CompletableFuture<Inferred> infer(String model, String version, String authorization, String idempotencyKey,
                                             Samples decode) {
        long start = System.nanoTime();
        Admitted request;
        List<float[]> samples;
        long decoding;
        LiveTarget target = null;
        try {
            ensureServing();
            var caller = core.caller(authorization);
            target = core.hold(model, version, null, caller);
            if (target.isEncoder()) {
                throw new ApiError(400, "unsupported_for_encoders", "ModelInfer takes tensors; send texts for the sentence"
                        + " encoder " + model + " to POST /v1/embeddings");
            }
            if (target.isLanguageModel()) {
                throw new ApiError(400, "unsupported_for_language_models", "ModelInfer takes tensors; send a language model"
                        + " {\"prompt\": ...} to POST /v1/models/" + model + "/predict");
            }
            decoding = System.nanoTime();
            samples = decode.decode(new Signature(model, INPUT, target.card().inputShape(), OUTPUT));
            decoding = System.nanoTime() - decoding;
            request = core.admit(caller, target, idempotencyKey);
        } catch (RuntimeException e) {
            if (target != null) target.release();
            if (!(e instanceof ApiError a)) throw e;
            metrics.request(label(model), a.status(), System.nanoTime() - start);
            throw refused(a);
        }
        String servedVersion = Integer.toString(request.target().card().version());
        var work = InferenceCore.batched(request.target(), request.lane(), samples, GrpcBackend::keptRows);
        inFlight.incrementAndGet();
        CompletableFuture<InferenceCore.Outcome> running;
        try {
            running = core.run(request, work, decoding, () -> fingerprint(model, servedVersion, samples));
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        return running.handle((outcome, failure) -> {
            try {
                if (failure != null) {
                    ApiError error = core.failed(request, failure);
                    metrics.request(model, error.status(), System.nanoTime() - start);
                    throw refused(error);
                }
                metrics.request(model, 200, System.nanoTime() - start);
                return new Inferred(model, servedVersion, OUTPUT, rows(outcome.answer()), predictionId(outcome.answer()));
            } finally {
                inFlight.decrementAndGet();
                request.target().release();
            }
        });
    }

    /**
     * The answer as it is kept for replays: the rows as little-endian floats, their width and the id the
     * request is metered under in the content type (a replay answers that id again).
     */
    private static EncodedAnswer keptRows(String requestId, List<float[]> outputs) {
        int width = outputs.get(0).length;
        ByteBuffer bytes = ByteBuffer.allocate(outputs.size() * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (float[] row : outputs) floats.put(row);
        return new EncodedAnswer(bytes.array(), KEPT_ROWS + width + PREDICTION_ID + requestId, Map.of());
    }

    private static String predictionId(EncodedAnswer answer) {
        int at = answer.contentType().indexOf(PREDICTION_ID);
        return at < 0 ? "" : answer.contentType().substring(at + PREDICTION_ID.length());
    }

    /** The rows of an answer made by {@link #keptRows}, fresh or kept. */
    private static List<float[]> rows(EncodedAnswer answer) {
        if (!answer.contentType().startsWith(KEPT_ROWS)) {
            // a key first used over HTTP has that request's fingerprint, so this cannot match; guard all the same
            throw refused(new ApiError(422, "idempotency_key_reused", "this idempotency-key was already used for a different"
                    + " request; use a new key for a new request"));
        }
        String type = answer.contentType();
        int end = type.indexOf(';', KEPT_ROWS.length());
        int width = Integer.parseInt(type.substring(KEPT_ROWS.length(), end < 0 ? type.length() : end));
        FloatBuffer floats = ByteBuffer.wrap(answer.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        List<float[]> rows = new ArrayList<>(floats.remaining() / width);
        while (floats.hasRemaining()) {
            float[] row = new float[width];
            floats.get(row);
            rows.add(row);
        }
        return rows;
    }

    /**
     * What makes two ModelInfer calls the same request under one idempotency key: the model, the version
     * that served it and the input values (a different input under a used key is refused, as over HTTP).
     */
    private static String fingerprint(String model, String version, List<float[]> samples) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("grpc ModelInfer " + model + " " + version + "\n").getBytes(StandardCharsets.UTF_8));
            ByteBuffer row = null;
            for (float[] sample : samples) {
                if (row == null || row.capacity() != sample.length * 4) row = ByteBuffer.allocate(sample.length * 4);
                row.clear();
                row.asFloatBuffer().put(sample);
                sha.update(row.array());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The metric label of a call, as HTTP's: the deployment when it is served here (made-up names share one series). */
    private String label(String model) {
        return live.names().contains(model) ? model : ModelServer.UNROUTED;
    }

    private LiveTarget target(String model, String version, String authorization) {
        ensureServing();
        return core.target(model, version, null, core.caller(authorization));
    }

    /** Nothing is answered while the server drains for shutdown. */
    private void ensureServing() {
        if (draining.getAsBoolean()) {
            throw new ApiError(503, "shutting_down", "the server is shutting down; retry on another node");
        }
    }

    private static Refused refused(ApiError e) {
        return new Refused(e.status(), e.code(), e.getMessage());
    }
}
