package io.moxing.http;

import io.javalin.http.Context;
import io.moxing.billing.Caller;
import io.moxing.http.InferenceCore.Admitted;
import io.moxing.http.InferenceCore.Work;
import io.moxing.serve.LiveTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP inference request from its headers to its answer, in the order that keeps a hostile client from
 * costing more than it is allowed: the key, the model and the admission are settled on the headers alone
 * ({@link InferenceCore}); only then is the body read (bounded, paced, see {@link BodyReader}) and decoded;
 * the core runs and meters the work, and the answer (or the error, with its Retry-After) is written.
 */
final class ServingPipeline {
    /** Turns a body into work for a target, or throws an {@link ApiError} naming what is wrong. */
    interface Decoder {
        Work decode(LiveTarget target, String tenant, byte[] body);
    }

    private final InferenceCore core;
    private final BodyReader bodies;
    private final AtomicInteger inFlight;

    ServingPipeline(InferenceCore core, BodyReader bodies, AtomicInteger inFlight) {
        this.core = core;
        this.bodies = bodies;
        this.inFlight = inFlight;
    }

    /** Serves a request to deployment {@code name} (a version when given, else {@code ?alias=} or the traffic split). */
    void serve(Context ctx, String version, Decoder decoder) {
        Caller caller = core.caller(ctx.header("Authorization"));
        LiveTarget target = core.hold(ctx.pathParam("name"), version, ctx.queryParam("alias"), caller);
        Admitted request;
        try {
            request = core.admit(caller, target, ctx.header("Idempotency-Key"));
        } catch (RuntimeException e) {
            target.release();
            throw e;
        }
        inFlight.incrementAndGet();
        ctx.future(() -> bodies.read(ctx.req())
                .thenCompose(body -> core.run(request,
                        decoder.decode(target, caller == null ? "" : caller.tenant().id(), body), () -> fingerprint(ctx, body)))
                .handle((outcome, failure) -> {
                    try {
                        if (failure == null) {
                            if (outcome.replayed()) ctx.header("Idempotent-Replayed", "true");
                            outcome.answer().headers().forEach(ctx::header);
                            ctx.status(200).contentType(outcome.answer().contentType()).result(outcome.answer().bytes());
                        } else {
                            ApiError error = core.failed(request, failure);
                            // a body left unread (too large, too slow) cannot be skipped safely: close after the answer
                            if (error.status() == 408 || error.status() == 413) ctx.header("Connection", "close");
                            ModelServer.error(ctx, error);
                        }
                    } finally {
                        inFlight.decrementAndGet();
                        target.release();
                    }
                    return null;
                }));
    }

    /** What makes two requests the same request: method, path with the alias asked for, and the body. */
    private static String fingerprint(Context ctx, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String alias = ctx.queryParam("alias");
            sha.update((ctx.method() + " " + ctx.path() + (alias == null ? "" : "?alias=" + alias) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
