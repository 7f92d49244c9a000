package io.moxing.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.util.List;

/**
 * Rebinds every method of a protobuf service with a {@link TolerantMarshaller} and refuses, before the method
 * sees it, a request that marshaller could not read: INVALID_ARGUMENT for bytes that are not the method's
 * message, RESOURCE_EXHAUSTED for a compressed body over the limit. A client's garbage is then a status for the
 * client and nothing in the server's log.
 */
final class UnreadableRequests {
    private UnreadableRequests() {}

    static ServerServiceDefinition bind(ServerServiceDefinition service, int maxMessageBytes) {
        ServiceDescriptor strict = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = service.getMethods().stream()
                .<ServerMethodDefinition<?, ?>>map(m -> tolerant(m, maxMessageBytes)).toList();
        // the service descriptor must list the very descriptors the methods are bound with
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(strict.getName())
                .setSchemaDescriptor(strict.getSchemaDescriptor());
        methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        ServerServiceDefinition.Builder bound = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(bound::addMethod);
        return bound.build();
    }

    private static <Q, A> ServerMethodDefinition<Q, A> tolerant(ServerMethodDefinition<Q, A> method, int maxMessageBytes) {
        MethodDescriptor<Q, A> strict = method.getMethodDescriptor();
        if (!(strict.getRequestMarshaller() instanceof PrototypeMarshaller<Q> requests)) {
            throw new IllegalArgumentException(strict.getFullMethodName() + " does not take protobuf messages");
        }
        TolerantMarshaller<Q> tolerant = new TolerantMarshaller<>(requests, maxMessageBytes);
        ServerCallHandler<Q, A> handler = method.getServerCallHandler();
        return ServerMethodDefinition.create(strict.toBuilder().setRequestMarshaller(tolerant).build(),
                (call, headers) -> new Refusing<>(handler.startCall(call, headers), call, tolerant));
    }

    /**
     * Passes a call's events to the method until a request it cannot read arrives, then closes the call and passes
     * nothing more but its end: the method never saw a request, and its half-close would close the call again.
     */
    private static final class Refusing<Q> extends SimpleForwardingServerCallListener<Q> {
        private final ServerCall<Q, ?> call;
        private final TolerantMarshaller<Q> requests;
        // a call's events arrive one at a time, never concurrently
        private boolean refused;

        Refusing(ServerCall.Listener<Q> method, ServerCall<Q, ?> call, TolerantMarshaller<Q> requests) {
            super(method);
            this.call = call;
            this.requests = requests;
        }

        @Override
        public void onMessage(Q message) {
            if (refused) return;
            Status refusal = requests.refusal(message);
            if (refusal == null) {
                super.onMessage(message);
                return;
            }
            refused = true;
            call.close(refusal, new Metadata());
        }

        @Override
        public void onHalfClose() {
            if (!refused) super.onHalfClose();
        }

        @Override
        public void onReady() {
            if (!refused) super.onReady();
        }
    }
}
