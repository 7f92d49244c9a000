package io.moxing.bench;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ServerLiveRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Open Inference Protocol's gRPC ModelInfer with the image as raw little-endian FP32
 * ({@code raw_input_contents}), as Triton's and KServe's clients send it. Its load generator is this
 * benchmark's own process (a gRPC client of the protocol's generated stub), separate from the server
 * whose CPU clock is read: {@code connections} calls in flight at any time, spread over a few HTTP/2
 * connections as a client library would multiplex them. Its bare request is gRPC's own, ServerLive, sent the
 * same way: HTTP/2 framing, protobuf and grpc-java's calls cost what Jetty's HTTP/1.1 does not.
 */
final class GrpcFormat implements RequestFormat {
    /** In-flight calls per HTTP/2 connection. */
    private static final int CALLS_PER_CONNECTION = 8;
    private final String model;
    private final String key;
    private final String label;
    private final Call call;
    /** ServerLive, the bare request of ModelInfer; null for ServerLive itself. */
    private final GrpcFormat bare;

    /** How one call goes out; {@code answer} hears how it ended. */
    private interface Call {
        void send(GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub, StreamObserver<Object> answer);
    }

    GrpcFormat(String model, float[] sample, List<Integer> inputShape) {
        this.model = model;
        this.key = "grpc";
        this.label = "gRPC raw FP32";
        ByteBuffer raw = ByteBuffer.allocate(sample.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : sample) raw.putFloat(v);
        ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32").addShape(1);
        inputShape.forEach(d -> tensor.addShape(d));
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(model).addInputs(tensor)
                .addRawInputContents(ByteString.copyFrom(raw.array())).build();
        this.call = (stub, answer) -> stub.modelInfer(request, narrow(answer));
        this.bare = new GrpcFormat(model);
    }

    /** ServerLive: gRPC's bare request. */
    private GrpcFormat(String model) {
        this.model = model;
        this.key = "grpc_bare";
        this.label = "bare gRPC ServerLive";
        this.call = (stub, answer) -> stub.serverLive(ServerLiveRequest.getDefaultInstance(), narrow(answer));
        this.bare = null;
    }

    /** The observer of any answer as the observer of one call's answer type (it reads none of them). */
    @SuppressWarnings("unchecked")
    private static <T> StreamObserver<T> narrow(StreamObserver<Object> answer) {
        return (StreamObserver<T>) (StreamObserver<?>) answer;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Optional<RequestFormat> bare() {
        return Optional.ofNullable(bare);
    }

    @Override
    public Optional<Refusal> probe(ServerProcess server) {
        ManagedChannel channel = channel(server);
        try {
            CountDownLatch answered = new CountDownLatch(1);
            Throwable[] failure = new Throwable[1];
            call.send(GRPCInferenceServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS), new StreamObserver<>() {
                @Override
                public void onNext(Object answer) {}

                @Override
                public void onError(Throwable t) {
                    failure[0] = t;
                    answered.countDown();
                }

                @Override
                public void onCompleted() {
                    answered.countDown();
                }
            });
            if (!answered.await(40, TimeUnit.SECONDS)) return Optional.of(new Refusal(model + ": no answer", Refusal.Kind.FAILED));
            if (failure[0] == null) return Optional.empty();
            if (!(failure[0] instanceof StatusRuntimeException e)) {
                return Optional.of(new Refusal(model + ": " + failure[0], Refusal.Kind.FAILED));
            }
            Status.Code code = e.getStatus().getCode();
            boolean clientMistake = code == Status.Code.INVALID_ARGUMENT || code == Status.Code.NOT_FOUND
                    || code == Status.Code.UNIMPLEMENTED || code == Status.Code.UNAUTHENTICATED;
            return Optional.of(new Refusal(model + ": " + e.getStatus(),
                    clientMistake ? Refusal.Kind.UNSUPPORTED : Refusal.Kind.FAILED));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new Refusal("interrupted", Refusal.Kind.FAILED));
        } finally {
            close(channel);
        }
    }

    @Override
    public LoadResult load(ServerProcess server, int count, int connections, Path scratch) throws IOException {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < Math.max(1, (connections + CALLS_PER_CONNECTION - 1) / CALLS_PER_CONNECTION); i++) {
            channels.add(channel(server));
        }
        Semaphore inFlight = new Semaphore(connections);
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger errors = new AtomicInteger();
        long[] latencies = new long[count];
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                int index = i;
                long sent = System.nanoTime();
                call.send(GRPCInferenceServiceGrpc.newStub(channels.get(i % channels.size())).withDeadlineAfter(60, TimeUnit.SECONDS),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(Object answer) {}

                            @Override
                            public void onError(Throwable t) {
                                errors.incrementAndGet();
                                finish();
                            }

                            @Override
                            public void onCompleted() {
                                finish();
                            }

                            private void finish() {
                                latencies[index] = System.nanoTime() - sent;
                                inFlight.release();
                                done.countDown();
                            }
                        });
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IOException("gRPC load: " + done.getCount() + " of " + count + " calls unanswered after 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            channels.forEach(GrpcFormat::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new LoadResult(count, count / seconds, latencies[count / 2] / 1e6,
                latencies[Math.min(count - 1, (int) (count * 0.99))] / 1e6, errors.get());
    }

    private static ManagedChannel channel(ServerProcess server) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", server.grpcPort(), InsecureChannelCredentials.create()).build();
    }

    private static void close(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
