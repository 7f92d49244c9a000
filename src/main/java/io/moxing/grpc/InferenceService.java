package io.moxing.grpc;

import io.grpc.stub.StreamObserver;
import io.moxing.grpc.InferenceBackend.ModelInfo;
import io.moxing.grpc.InferenceBackend.TensorInfo;
import io.moxing.grpc.protocol.GRPCInferenceServiceGrpc;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ModelInferResponse;
import io.moxing.grpc.protocol.ModelMetadataRequest;
import io.moxing.grpc.protocol.ModelMetadataResponse;
import io.moxing.grpc.protocol.ModelReadyRequest;
import io.moxing.grpc.protocol.ModelReadyResponse;
import io.moxing.grpc.protocol.ServerLiveRequest;
import io.moxing.grpc.protocol.ServerLiveResponse;
import io.moxing.grpc.protocol.ServerMetadataRequest;
import io.moxing.grpc.protocol.ServerMetadataResponse;
import io.moxing.grpc.protocol.ServerReadyRequest;
import io.moxing.grpc.protocol.ServerReadyResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code inference.GRPCInferenceService}: translates the protocol's messages to and from the
 * {@link InferenceBackend}. ModelInfer answers when the backend's future completes, without holding a
 * thread while the model runs.
 */
final class InferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceBackend backend;

    InferenceService(InferenceBackend backend) {
        this.backend = backend;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
        // answering at all is being live
        reply(answer, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> answer) {
        reply(answer, () -> ServerReadyResponse.newBuilder().setReady(backend.ready()).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> answer) {
        String version = InferenceService.class.getPackage().getImplementationVersion();
        reply(answer, () -> ServerMetadataResponse.newBuilder().setName("moxing").setVersion(version == null ? "" : version)
                .build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
        reply(answer, () -> ModelReadyResponse.newBuilder().setReady(backend.modelReady(request.getName(),
                version(request.getVersion()), CallHeaders.authorization())).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
        reply(answer, () -> {
            ModelInfo info = backend.metadata(request.getName(), version(request.getVersion()), CallHeaders.authorization());
            return ModelMetadataResponse.newBuilder().setName(info.name()).addAllVersions(info.versions())
                    .setPlatform(info.platform()).addInputs(tensor(info.input())).addOutputs(tensor(info.output())).build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
        CompletableFuture<InferenceBackend.Inferred> running;
        try {
            running = backend.infer(request.getModelName(), version(request.getModelVersion()), CallHeaders.authorization(),
                    CallHeaders.idempotencyKey(), signature -> TensorDecoder.samples(request, signature));
        } catch (RuntimeException e) {
            answer.onError(Statuses.of(e));
            return;
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        running.whenComplete((inferred, failure) -> {
            if (failure != null) {
                answer.onError(Statuses.of(failure));
            } else {
                reply(answer, () -> TensorEncoder.response(request.getId(), inferred, raw));
            }
        });
    }

    private static <T> void reply(StreamObserver<T> answer, Supplier<T> response) {
        T message;
        try {
            message = response.get();
        } catch (RuntimeException e) {
            answer.onError(Statuses.of(e));
            return;
        }
        answer.onNext(message);
        answer.onCompleted();
    }

    /** The protocol's "no version" is the empty string; the backend's is null. */
    private static String version(String version) {
        return version.isEmpty() ? null : version;
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorInfo t) {
        return ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name()).setDatatype(t.datatype())
                .addAllShape(t.shape()).build();
    }
}
