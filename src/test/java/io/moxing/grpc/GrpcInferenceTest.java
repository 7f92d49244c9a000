package io.moxing.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.moxing.SharedHome;
import io.moxing.TestDatabases;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.Json;
import io.moxing.data.DatasetStore;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.moxing.grpc.protocol.InferTensorContents;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ModelInferRequest.InferInputTensor;
import io.moxing.grpc.protocol.ModelInferResponse;
import io.moxing.grpc.protocol.ModelMetadataRequest;
import io.moxing.grpc.protocol.ModelMetadataResponse;
import io.moxing.grpc.protocol.ModelReadyRequest;
import io.moxing.grpc.protocol.ServerLiveRequest;
import io.moxing.grpc.protocol.ServerReadyRequest;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Open Inference Protocol's gRPC half over a real gRPC client (stubs generated from
 * src/main/proto/grpc_predict_v2.proto) against a real server on loopback with a real cnn-28: the same
 * answers as the HTTP v2 route, refusals as gRPC status codes, and with billing on the same keys and
 * metering as HTTP.
 */
class GrpcInferenceTest {
    private static final Actor ADMIN = new Actor("test", "junit");
    @TempDir Path tmp;
    private ModelServer server;
    private ManagedChannel channel;
    private String ref;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        if (server != null) server.close();
    }

    /** A server on {@code db} with cnn-28 deployed, HTTP and gRPC on free ports; billing off when null. */
    private void start(Database db, BillingAdmin billing) {
        var cnn = SharedHome.cnn();
        ref = cnn.model() + ":" + cnn.version();
        SqlDeployments deployments = new SqlDeployments(db);
        deployments.put(DeploymentRequests.target(ref, "cnn-28", "production", 100, 16, 2, 1,
                new ModelRegistry(SharedHome.home().models())));
        server = new ModelServer(SharedHome.home(), deployments, new ServeOptions("127.0.0.1", 0, 1 << 20, 30_000, 1024, 100).withGrpcPort(0),
                billing).start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.grpcPort(), InsecureChannelCredentials.create()).build();
    }

    /** A stub whose calls carry {@code headers} (name, value, ...), with a deadline from now. */
    private GRPCInferenceServiceBlockingStub grpc(String... headers) {
        Metadata metadata = new Metadata();
        for (int i = 0; i < headers.length; i += 2) {
            metadata.put(Metadata.Key.of(headers[i], Metadata.ASCII_STRING_MARSHALLER), headers[i + 1]);
        }
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    /** Test image {@code index} of Fashion-MNIST as cnn-28 takes it, decoded as the HTTP routes decode an upload. */
    private float[] image(int index) throws Exception {
        var image = new DatasetStore(SharedHome.home().datasets()).resolveOrImportKnown("fashion-mnist").image("test", index);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image.image(), "png", png);
        return InputDecoder.image(png.toByteArray(), new ModelRegistry(SharedHome.home().models()).card(ref), "test image " + index);
    }

    private static InferInputTensor.Builder tensor(String datatype, long... shape) {
        InferInputTensor.Builder t = InferInputTensor.newBuilder().setName("input").setDatatype(datatype);
        for (long d : shape) t.addShape(d);
        return t;
    }

    private static ByteString littleEndian(float[]... rows) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(rows).mapToInt(r -> r.length).sum() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) for (float v : row) b.putFloat(v);
        return ByteString.copyFrom(b.array());
    }

    /** IEEE 754 half precision, round to nearest, for values in FP16's normal range or zero (an image's). */
    private static ByteString halfLittleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            int bits = Float.floatToIntBits(v);
            int sign = (bits >>> 16) & 0x8000;
            int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
            int mantissa = bits & 0x7fffff;
            int half = exponent <= 0 ? sign : sign | (exponent << 10) | (mantissa >> 13);
            if (exponent > 0 && (mantissa & 0x1000) != 0) half++;
            b.putShort((short) half);
        }
        return ByteString.copyFrom(b.array());
    }

    private static float[] floats(ByteString raw) {
        float[] out = new float[raw.size() / 4];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static float[] floats(InferTensorContents contents) {
        float[] out = new float[contents.getFp32ContentsCount()];
        for (int i = 0; i < out.length; i++) out[i] = contents.getFp32Contents(i);
        return out;
    }

    /** The HTTP v2 route's answer for the same samples: what the gRPC answer must equal. */
    private float[] overHttp(float[]... rows) throws Exception {
        StringBuilder data = new StringBuilder();
        for (float[] row : rows) for (float v : row) data.append(data.length() == 0 ? "" : ",").append(v);
        String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [" + rows.length + ", 1, 28, 28], \"datatype\": \"FP32\","
                + " \"data\": [" + data + "]}]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v2/models/cnn-28/infer"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = Json.MAPPER.readTree(r.body()).at("/outputs/0/data");
        float[] values = new float[out.size()];
        for (int i = 0; i < values.length; i++) values[i] = (float) out.get(i).asDouble();
        return values;
    }

    /** The call fails with {@code code} and a description that starts with the refusal's code. */
    private static void assertRefused(Status.Code code, String refusal, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        assertTrue(e.getStatus().getDescription().startsWith(refusal + ": "), e.getStatus().getDescription());
    }

    @Test
    void answersAsTheHttpRouteDoesAndRefusesWithStatusCodes() throws Exception {
        start(Database.open(null, tmp.resolve("moxing.db")), null);
        String version = ref.split(":")[1];
        assertTrue(grpc().serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(grpc().serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertTrue(grpc().modelReady(ModelReadyRequest.newBuilder().setName("cnn-28").build()).getReady());
        ModelMetadataResponse meta = grpc().modelMetadata(ModelMetadataRequest.newBuilder().setName("cnn-28").build());
        assertEquals("cnn-28", meta.getName());
        assertEquals(List.of(version), meta.getVersionsList());
        assertEquals(List.of(-1L, 1L, 28L, 28L), meta.getInputs(0).getShapeList());
        assertEquals("FP32", meta.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 10L), meta.getOutputs(0).getShapeList());

        // two real test images as raw little-endian FP32, one tensor [2, 1, 28, 28]
        float[] shoe = image(0);
        float[] other = image(1);
        ModelInferRequest raw = ModelInferRequest.newBuilder().setModelName("cnn-28").setId("req-7")
                .addInputs(tensor("FP32", 2, 1, 28, 28)).addRawInputContents(littleEndian(shoe, other))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("output")).build();
        ModelInferResponse answer = grpc().modelInfer(raw);
        assertEquals("cnn-28", answer.getModelName());
        assertEquals(version, answer.getModelVersion());
        assertEquals("req-7", answer.getId());
        String metered = answer.getParametersOrThrow("prediction_id").getStringParam();
        assertTrue(metered.length() > 10 && !metered.equals("req-7"), "the id it is metered under: " + metered);
        assertEquals("output", answer.getOutputs(0).getName());
        assertEquals("FP32", answer.getOutputs(0).getDatatype());
        assertEquals(List.of(2L, 10L), answer.getOutputs(0).getShapeList());
        assertFalse(answer.getOutputs(0).hasContents(), "raw in, raw out");
        float[] outputs = floats(answer.getRawOutputContents(0));
        assertArrayEquals(overHttp(shoe, other), outputs, 1e-5f);
        assertFalse(Arrays.equals(Arrays.copyOf(outputs, 10), Arrays.copyOfRange(outputs, 10, 20)), "two images, two answers");

        // the same samples as typed contents come back as typed contents
        InferTensorContents.Builder typed = InferTensorContents.newBuilder();
        for (float v : shoe) typed.addFp32Contents(v);
        for (float v : other) typed.addFp32Contents(v);
        ModelInferResponse viaContents = grpc().modelInfer(ModelInferRequest.newBuilder().setModelName("cnn-28")
                .setModelVersion(version).addInputs(tensor("FP32", 2, 1, 28, 28).setContents(typed)).build());
        assertEquals(0, viaContents.getRawOutputContentsCount());
        assertArrayEquals(outputs, floats(viaContents.getOutputs(0).getContents()), 1e-5f);

        // UINT8 bytes are read unsigned: 200 is 200, not -56
        byte[] pixels = new byte[784];
        float[] same = new float[784];
        for (int i = 0; i < 784; i++) {
            pixels[i] = (byte) (i % 256);
            same[i] = i % 256;
        }
        ModelInferResponse uint8 = grpc().modelInfer(ModelInferRequest.newBuilder().setModelName("cnn-28")
                .addInputs(tensor("UINT8", 1, 1, 28, 28)).addRawInputContents(ByteString.copyFrom(pixels)).build());
        assertArrayEquals(overHttp(same), floats(uint8.getRawOutputContents(0)), 1e-5f);

        // raw FP16 (half the bytes): the same answer within FP16's rounding; typed contents cannot carry it
        ModelInferResponse half = grpc().modelInfer(ModelInferRequest.newBuilder().setModelName("cnn-28")
                .addInputs(tensor("FP16", 1, 1, 28, 28)).addRawInputContents(halfLittleEndian(shoe)).build());
        assertArrayEquals(overHttp(shoe), floats(half.getRawOutputContents(0)), 2e-3f);
        assertRefused(Status.Code.INVALID_ARGUMENT, "invalid_datatype", () -> grpc().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("cnn-28").addInputs(tensor("FP16", 1, 1, 28, 28).setContents(typed)).build()));

        ModelInferRequest one = ModelInferRequest.newBuilder().setModelName("cnn-28")
                .addInputs(tensor("FP32", 1, 1, 28, 28)).addRawInputContents(littleEndian(shoe)).build();
        assertRefused(Status.Code.INVALID_ARGUMENT, "wrong_shape", () -> grpc().modelInfer(one.toBuilder()
                .setInputs(0, tensor("FP32", 1, 3, 28, 28)).build()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "wrong_shape", () -> grpc().modelInfer(one.toBuilder()
                .setInputs(0, tensor("FP32", 2, 1, 28, 28)).build()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "wrong_shape", () -> grpc().modelInfer(one.toBuilder()
                .setInputs(0, tensor("FP32", 1L << 40, 1, 28, 28)).build()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "unknown_output", () -> grpc().modelInfer(one.toBuilder()
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logits")).build()));
        assertRefused(Status.Code.INVALID_ARGUMENT, "invalid_datatype", () -> grpc().modelInfer(one.toBuilder()
                .setInputs(0, tensor("BYTES", 1, 1, 28, 28)).build()));
        float[] nan = shoe.clone();
        nan[300] = Float.NaN;
        assertRefused(Status.Code.INVALID_ARGUMENT, "invalid_data", () -> grpc().modelInfer(one.toBuilder()
                .setRawInputContents(0, littleEndian(nan)).build()));
        InferTensorContents.Builder tooBig = InferTensorContents.newBuilder();
        for (int i = 0; i < 784; i++) tooBig.addIntContents(i == 5 ? 300 : 1);
        assertRefused(Status.Code.INVALID_ARGUMENT, "invalid_data", () -> grpc().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("cnn-28").addInputs(tensor("INT8", 1, 1, 28, 28).setContents(tooBig)).build()));
        assertRefused(Status.Code.NOT_FOUND, "unknown_model", () -> grpc().modelInfer(one.toBuilder().setModelName("nothing").build()));
        assertRefused(Status.Code.NOT_FOUND, "unknown_version", () -> grpc().modelInfer(one.toBuilder().setModelVersion("99").build()));
        assertRefused(Status.Code.NOT_FOUND, "unknown_model", () -> grpc().modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("nothing").build()));
        // the message limit is the HTTP body limit (1 MiB here)
        StatusRuntimeException tooLarge = assertThrows(StatusRuntimeException.class, () -> grpc().modelInfer(one.toBuilder()
                .setRawInputContents(0, ByteString.copyFrom(new byte[2 << 20])).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooLarge.getStatus().getCode());
        String ok = "moxing_requests_total{model=\"cnn-28\",status=\"200\"} ";
        String metrics = server.metrics().scrape();
        assertEquals(7.0, metrics.lines().filter(l -> l.startsWith(ok)).mapToDouble(l -> Double.parseDouble(l.substring(ok.length())))
                .sum(), "gRPC calls are counted with HTTP's (4 gRPC + 3 HTTP):\n" + metrics);
    }

    @Test
    void withBillingOnACallNeedsAKeyAndIsMeteredOnce() throws Exception {
        Database db = TestDatabases.fresh("sqlite", tmp);
        BillingAdmin billing = SqlBilling.open(db);
        billing.createPlan(ADMIN, Plan.payPerUse("ppu", "USD", new BigDecimal("0.50"), null, null, null));
        billing.createTenant(ADMIN, "g", null, "ppu", System.currentTimeMillis() - 1000);
        String key = billing.issueKey(ADMIN, "g", null, null, null, null, null, System.currentTimeMillis()).plaintext();
        start(db, billing);
        server.reconcile();

        float[] blank = new float[784];
        ModelInferRequest two = ModelInferRequest.newBuilder().setModelName("cnn-28")
                .addInputs(tensor("FP32", 2, 1, 28, 28)).addRawInputContents(littleEndian(blank, blank)).build();
        assertRefused(Status.Code.UNAUTHENTICATED, "missing_api_key", () -> grpc().modelInfer(two));
        assertRefused(Status.Code.UNAUTHENTICATED, "invalid_api_key", () -> grpc("authorization", "Bearer mx_live_nokey_secret")
                .modelInfer(two));
        assertRefused(Status.Code.UNAUTHENTICATED, "missing_api_key", () -> grpc().modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("cnn-28").build()));
        assertTrue(grpc().serverLive(ServerLiveRequest.getDefaultInstance()).getLive(), "health needs no key");

        String bearer = "Bearer " + key;
        assertEquals(2, grpc("authorization", bearer, "idempotency-key", "batch-1").modelInfer(two).getOutputs(0).getShape(0));
        // a retry with the same idempotency key is answered and not charged again
        assertEquals(2, grpc("authorization", bearer, "idempotency-key", "batch-1").modelInfer(two).getOutputs(0).getShape(0));
        // a request refused for its shape is never admitted, so never charged
        assertRefused(Status.Code.INVALID_ARGUMENT, "wrong_shape", () -> grpc("authorization", bearer).modelInfer(two.toBuilder()
                .setInputs(0, tensor("FP32", 3, 1, 28, 28)).build()));
        var totals = billing.ledger().totals("g", 0, Long.MAX_VALUE);
        assertEquals(1, totals.requests(), "one charged request: " + totals);
        assertEquals(2, totals.units(), "two predictions: " + totals);
        assertTrue(totals.computeUs() > 0, totals.toString());
    }
}
