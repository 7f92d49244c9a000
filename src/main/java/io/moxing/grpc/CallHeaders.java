package io.moxing.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Carries a call's credentials ({@code authorization: Bearer mx_live_...}) and {@code idempotency-key}
 * from its metadata to the service method, which only sees the request message.
 */
final class CallHeaders implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> IDEMPOTENCY_KEY = Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CALL_AUTHORIZATION = Context.key("authorization");
    private static final Context.Key<String> CALL_IDEMPOTENCY_KEY = Context.key("idempotency-key");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Context context = Context.current().withValues(CALL_AUTHORIZATION, headers.get(AUTHORIZATION),
                CALL_IDEMPOTENCY_KEY, headers.get(IDEMPOTENCY_KEY));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** The current call's authorization, or null; read on the thread that runs the service method. */
    static String authorization() {
        return CALL_AUTHORIZATION.get();
    }

    static String idempotencyKey() {
        return CALL_IDEMPOTENCY_KEY.get();
    }
}
