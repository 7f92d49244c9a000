package io.moxing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ModelInferResponse;
import io.moxing.grpc.protocol.ServerLiveRequest;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/ServingFloor.java} is compiled only when someone runs {@code scripts/serving-floor}: this keeps it
 * compiling against the project's classes (the gRPC protocol's, Jetty's), and its stand-in answering both protocols
 * from its batch thread, paced by its file.
 */
class ServingFloorScriptTest {
    @Test
    @Timeout(120)
    void theStandInCompilesAndAnswersHttpAndGrpcFromItsBatchThread(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), Path.of("scripts/ServingFloor.java").toString());
        assertEquals(0, rc, "scripts/ServingFloor.java does not compile: " + errors);

        int httpPort = freePort(), grpcPort = freePort();
        Path pace = dir.resolve("pace");
        Files.writeString(pace, "300000000"); // 0.3 s of CPU a row: an answer on the request's own thread took 28 ms
        Process standIn = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classes + java.io.File.pathSeparator + System.getProperty("java.class.path"), "ServingFloor", "stand-in",
                Integer.toString(httpPort), Integer.toString(grpcPort), pace.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stand-in.log").toFile()).start();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create()).build();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> live = null;
            for (int i = 0; i < 100 && live == null; i++) {
                try {
                    live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v2/health/live"))
                            .timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertTrue(live != null, "the stand-in did not listen: " + Files.readString(dir.resolve("stand-in.log")));
            assertEquals("{\"live\":true}", live.body());

            long sent = System.nanoTime();
            HttpResponse<byte[]> inferred = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v2/models/x/infer"))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3283])).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            long tookMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent);
            assertEquals(200, inferred.statusCode());
            assertEquals(297, inferred.body().length); // as moxing's answer for cnn-28: its 257-byte header, ten scores
            // answered from the batch thread, after the pace read from the file, which it counts as its model's CPU
            assertTrue(tookMicros >= 300_000, "answered in " + tookMicros + " µs, before the batch thread's pace of 0.3 s");
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double modelSeconds = Double.parseDouble(metrics.substring(metrics.lastIndexOf(' ') + 1).trim());
            assertTrue(metrics.startsWith("moxing_model_cpu_seconds_total") && modelSeconds >= 0.3, metrics);

            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS);
            assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
            ModelInferResponse answer = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("cnn-28")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32")
                            .addShape(1).addShape(1).addShape(28).addShape(28))
                    .addRawInputContents(ByteString.copyFrom(new byte[28 * 28 * Float.BYTES])).build());
            assertEquals(List.of(1L, 10L), answer.getOutputs(0).getShapeList());
            assertEquals(40, answer.getRawOutputContents(0).size());
        } finally {
            channel.shutdownNow();
            standIn.destroyForcibly();
            standIn.waitFor();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
