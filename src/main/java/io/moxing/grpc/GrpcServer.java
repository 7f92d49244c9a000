package io.moxing.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.moxing.core.UserException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC endpoint: {@code inference.GRPCInferenceService} on a host and port (0 picks a free one),
 * with a message limit and a handler pool sized to the machine. {@link #close} lets calls in flight
 * finish for a few seconds before it cuts them. A client's malformed calls get a status and leave nothing in
 * the log ({@link UnreadableRequests}, {@link ClientMistakeLogs}).
 */
public final class GrpcServer implements AutoCloseable {
    /** How long close waits for calls in flight; the HTTP server's drain has already waited for most. */
    private static final long GRACE_SECONDS = 5;
    /** The properties from which the leak detector of gRPC's own (shaded) Netty takes its level: its name, its old name. */
    static final List<String> LEAK_DETECTION = List.of("io.grpc.netty.shaded.io.netty.leakDetection.level",
            "io.grpc.netty.shaded.io.netty.leakDetectionLevel");
    private final Server server;
    private final ExecutorService handlers;

    private GrpcServer(Server server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Listens on {@code host:port} until closed; a message over {@code maxMessageBytes} is refused with
     * RESOURCE_EXHAUSTED before it is read (or, compressed, as it is read), one that is not the method's protobuf
     * with INVALID_ARGUMENT.
     */
    public static GrpcServer start(String host, int port, int maxMessageBytes, InferenceBackend backend) {
        // An open server's calls only decode, queue and encode (the model runs on its batcher's threads): they run on
        // the transport's event loops, which saved ~20 µs of server CPU a call against a hop to a pool (DECISIONS.md).
        // A metered server's calls may wait on the database (keys, quotas, idempotency), so they take a bounded pool,
        // rather than gRPC's default, which grows a thread per waiting call.
        AtomicInteger n = new AtomicInteger();
        ExecutorService handlers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "grpc-handler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ClientMistakeLogs.quiet();
        quietLeakDetection();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .maxInboundMessageSize(maxMessageBytes)
                .decompressorRegistry(CheckedGzip.registry())
                .addService(ServerInterceptors.intercept(UnreadableRequests.bind(new InferenceService(backend).bindService(),
                        maxMessageBytes), new CallHeaders()));
        Server server = (backend.readsDatabase() ? builder.executor(handlers) : builder.directExecutor()).build();
        try {
            server.start();
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new UserException("grpc_port_unavailable", "cannot listen for gRPC on " + host + ":" + port + " ("
                    + e.getMessage() + "); choose another port with --grpc-port N, or turn gRPC off with --grpc-port -1");
        }
        return new GrpcServer(server, handlers);
    }

    /**
     * Turns Netty's leak detector off unless one of {@link #LEAK_DETECTION} names a level. On by default, it records a stack
     * trace for one buffer in 128 as it is made and again as it is released: 4% of the server's CPU under ModelInfer
     * load in a profile (docs/DECISIONS.md). It finds buffers that Netty's users forget to release; this server hands
     * gRPC messages, never buffers, so a leak it found would be gRPC's, and whoever chases one sets the level back.
     */
    private static void quietLeakDetection() {
        if (LEAK_DETECTION.stream().allMatch(p -> System.getProperty(p) == null)) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Refuses new calls, lets those in flight finish for up to {@value #GRACE_SECONDS} s, then cancels the rest. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) server.shutdownNow();
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        handlers.shutdown();
    }
}
