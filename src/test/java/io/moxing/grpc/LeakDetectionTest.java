package io.moxing.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.moxing.SharedHome;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc;
import io.moxing.grpc.protocol.ServerLiveRequest;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.store.Database;
import io.moxing.store.SqlDeployments;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty's leak detector, which recorded a stack trace for one buffer in 128 (4% of the server's CPU under ModelInfer
 * load), is off on a server that serves gRPC, and left at the level an operator names with either of its properties.
 */
class LeakDetectionTest {
    @TempDir Path tmp;

    @Test
    void theLeakDetectorIsOffUnlessItsPropertyNamesALevel() throws Exception {
        // the names the server checks are the ones this Netty reads (shading renames them with its classes)
        assertEquals(List.of(nettyConstant("PROP_LEVEL"), nettyConstant("PROP_LEVEL_OLD")), GrpcServer.LEAK_DETECTION);
        Map<String, String> given = new LinkedHashMap<>();
        GrpcServer.LEAK_DETECTION.forEach(p -> given.put(p, System.getProperty(p)));
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        try {
            GrpcServer.LEAK_DETECTION.forEach(System::clearProperty);
            assertEquals(ResourceLeakDetector.Level.DISABLED, levelOfAServingServer());
            for (String property : GrpcServer.LEAK_DETECTION) {
                GrpcServer.LEAK_DETECTION.forEach(System::clearProperty);
                System.setProperty(property, "paranoid");
                ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID); // as Netty reads it when first loaded
                assertEquals(ResourceLeakDetector.Level.PARANOID, levelOfAServingServer(), property + " is kept");
            }
        } finally {
            given.forEach((p, v) -> {
                if (v == null) System.clearProperty(p); else System.setProperty(p, v);
            });
            ResourceLeakDetector.setLevel(before);
        }
    }

    private static String nettyConstant(String name) throws ReflectiveOperationException {
        var field = ResourceLeakDetector.class.getDeclaredField(name);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    /** Starts a real server with its gRPC port, has it answer one ServerLive, and reads the detector's level. */
    private ResourceLeakDetector.Level levelOfAServingServer() throws InterruptedException {
        try (ModelServer server = new ModelServer(SharedHome.home(), new SqlDeployments(Database.open(null,
                tmp.resolve("moxing.db"))), new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 100).withGrpcPort(0),
                null).start()) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.grpcPort(),
                    InsecureChannelCredentials.create()).build();
            try {
                GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .serverLive(ServerLiveRequest.getDefaultInstance());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            return ResourceLeakDetector.getLevel();
        }
    }
}
