package io.moxing.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.moxing.SharedHome;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ServerLiveRequest;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or broken client sends to the gRPC port before any key is checked: a body that is not the
 * method's protobuf, a frame flagged compressed with no compression agreed, a length over the limit, a body
 * that only grows past the limit once decompressed, a call without {@code te: trailers}. Each is answered with
 * a status that says what was wrong, and none of them writes to the server's log, which would otherwise take a
 * stack trace per call from anyone who can reach the port.
 */
class MalformedCallsTest {
    private static final int LIMIT = 1 << 20;
    private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    @TempDir Path tmp;
    private ModelServer server;
    private ManagedChannel channel;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    /** A real server with nothing deployed: every call here is refused before a model would be looked up. */
    @BeforeEach
    void start() {
        server = new ModelServer(SharedHome.home(), new SqlDeployments(Database.open(null, tmp.resolve("moxing.db"))),
                new ServeOptions("127.0.0.1", 0, LIMIT, 30_000, 1024, 100).withGrpcPort(0), null).start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.grpcPort(), InsecureChannelCredentials.create()).build();
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() throws InterruptedException {
        Logger.getLogger("").removeHandler(capture);
        if (channel != null) channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        if (server != null) server.close();
    }

    /** {@code method} as a call whose body is whatever bytes the caller passes, sent as they are. */
    private static MethodDescriptor<byte[], byte[]> asBytes(MethodDescriptor<?, ?> method) {
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(method.getType()).setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
    }

    private static Status.Code code(Map<String, String> answer) {
        return Status.fromCodeValue(Integer.parseInt(answer.getOrDefault("grpc-status", "-1"))).getCode();
    }

    @Test
    void bodiesThatAreNotTheMethodsProtobufAreInvalidArgumentOnEveryMethod() {
        for (MethodDescriptor<?, ?> method : List.of(GRPCInferenceServiceGrpc.getModelInferMethod(),
                GRPCInferenceServiceGrpc.getModelMetadataMethod(), GRPCInferenceServiceGrpc.getServerLiveMethod())) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel,
                    asBytes(method), CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), GARBAGE));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), method.getFullMethodName() + ": " + e.getStatus());
            String type = method.getFullMethodName().substring(method.getFullMethodName().indexOf('/') + 1) + "Request";
            assertEquals("invalid_protobuf: the body is not a valid inference." + type + " protobuf", e.getStatus().getDescription());
        }
        assertQuietAndStillServing();
    }

    @Test
    void framingMistakesKeepGrpcsStatusAndLogNothing() throws IOException {
        // a length prefix over the limit is refused from the prefix alone
        ModelInferRequest big = ModelInferRequest.newBuilder().setModelName("cnn-28")
                .addRawInputContents(ByteString.copyFrom(new byte[2 * LIMIT])).build();
        StatusRuntimeException tooLong = assertThrows(StatusRuntimeException.class, () -> GRPCInferenceServiceGrpc
                .newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(big));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooLong.getStatus().getCode(), String.valueOf(tooLong.getStatus()));
        // the same message gzipped is a few KB on the wire and only goes over the limit as it is read
        StatusRuntimeException inflated = assertThrows(StatusRuntimeException.class, () -> GRPCInferenceServiceGrpc
                .newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).withCompression("gzip").modelInfer(big));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, inflated.getStatus().getCode(), String.valueOf(inflated.getStatus()));
        assertEquals("body_too_large: the body is over the limit of " + LIMIT + " bytes once decompressed",
                inflated.getStatus().getDescription());

        String live = "/" + GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName();
        Map<String, String> compressed = RawGrpcCall.call(server.grpcPort(), live, true,
                RawGrpcCall.message(true, GARBAGE.length, GARBAGE));
        assertEquals(Status.Code.INTERNAL, code(compressed), compressed.toString());
        // flagged gzip-compressed, with gzip agreed, but not gzip data: from its header, and past a valid header
        byte[] notGzip = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Map<String, String> badHeader = RawGrpcCall.call(server.grpcPort(), live, true, "gzip",
                RawGrpcCall.message(true, notGzip.length, notGzip));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(badHeader), badHeader.toString());
        byte[] corruptDeflate = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
        Map<String, String> badBody = RawGrpcCall.call(server.grpcPort(), live, true, "gzip",
                RawGrpcCall.message(true, corruptDeflate.length, corruptDeflate));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(badBody), badBody.toString());
        Map<String, String> overPrefix = RawGrpcCall.call(server.grpcPort(), live, true,
                RawGrpcCall.message(false, Integer.MAX_VALUE, GARBAGE));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(overPrefix), overPrefix.toString());
        Map<String, String> noTe = RawGrpcCall.call(server.grpcPort(), live, false, RawGrpcCall.message(false, 0, new byte[0]));
        assertEquals(Status.Code.OK, code(noTe), "without te: trailers grpc-java still answers: " + noTe);
        assertQuietAndStillServing();
    }

    /**
     * A good call on the same connection answers after the server has finished with the bad ones on it (its
     * calls run on that connection's event loop), so anything they logged is in by then.
     */
    private void assertQuietAndStillServing() {
        assertTrue(GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertEquals("", logged.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")")).collect(Collectors.joining("\n")),
                "the server's log during these calls");
    }
}
