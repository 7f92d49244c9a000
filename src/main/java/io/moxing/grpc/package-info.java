/**
 * The gRPC adapter: the Open Inference Protocol's {@code inference.GRPCInferenceService} (health, model
 * metadata and readiness, ModelInfer) on grpc-java. It decodes and validates tensors and maps refusals to
 * gRPC status codes (a call it cannot read too, without a line in the log); who may call, which version
 * answers, batching and metering are the {@link io.moxing.grpc.InferenceBackend}'s, which the HTTP server
 * provides so both protocols share one path.
 * The messages and stubs are generated from {@code src/main/proto/grpc_predict_v2.proto} into
 * {@code io.moxing.grpc.protocol}.
 */
package io.moxing.grpc;
