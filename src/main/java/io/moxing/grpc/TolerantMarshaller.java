package io.moxing.grpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;

/**
 * A method's request marshaller that never throws. grpc-java parses a request before any interceptor or
 * listener of ours runs, and a parse that throws ends the call as UNKNOWN with a SEVERE stack trace in the log;
 * so a body this cannot read parses instead to one of two instances of its own, made for this method alone and
 * told apart by identity, which {@link UnreadableRequests} turns into the status the client should get.
 */
final class TolerantMarshaller<T> implements PrototypeMarshaller<T> {
    private final PrototypeMarshaller<T> strict;
    private final T malformed;
    private final T oversized;
    private final String type;
    private final int maxMessageBytes;

    @SuppressWarnings("unchecked")
    TolerantMarshaller(PrototypeMarshaller<T> strict, int maxMessageBytes) {
        if (!(strict.getMessagePrototype() instanceof Message prototype)) {
            throw new IllegalArgumentException("not a protobuf marshaller: " + strict);
        }
        this.strict = strict;
        this.maxMessageBytes = maxMessageBytes;
        this.type = prototype.getDescriptorForType().getFullName();
        // build() makes a new instance each time; an empty body parses to the prototype itself, so neither may be it
        this.malformed = (T) prototype.toBuilder().build();
        this.oversized = (T) prototype.toBuilder().build();
        if (malformed == prototype || oversized == prototype || malformed == oversized) {
            throw new IllegalStateException("cannot make distinct sentinel messages of " + type);
        }
    }

    @Override
    public InputStream stream(T value) {
        return strict.stream(value);
    }

    @Override
    public T parse(InputStream body) {
        try {
            return strict.parse(body);
        } catch (StatusRuntimeException e) {
            // protobuf's INTERNAL "Invalid protobuf byte sequence", or RESOURCE_EXHAUSTED from grpc-java's limit on a
            // compressed body, which is only met while the parse reads it; any other exception is ours and propagates
            return e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED ? oversized : malformed;
        }
    }

    /** The status a call whose request parsed to {@code request} is refused with, or null when it parsed. */
    Status refusal(T request) {
        if (request == malformed) {
            return Status.INVALID_ARGUMENT.withDescription("invalid_protobuf: the body is not a valid " + type + " protobuf");
        }
        if (request == oversized) {
            return Status.RESOURCE_EXHAUSTED.withDescription("body_too_large: the body is over the limit of " + maxMessageBytes
                    + " bytes once decompressed");
        }
        return null;
    }

    @Override
    public Class<T> getMessageClass() {
        return strict.getMessageClass();
    }

    @Override
    public T getMessagePrototype() {
        return strict.getMessagePrototype();
    }
}
