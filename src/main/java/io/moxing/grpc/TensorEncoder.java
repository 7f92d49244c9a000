package io.moxing.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.moxing.grpc.InferenceBackend.Inferred;
import io.moxing.grpc.protocol.InferParameter;
import io.moxing.grpc.protocol.InferTensorContents;
import io.moxing.grpc.protocol.ModelInferResponse;
import io.moxing.grpc.protocol.ModelInferResponse.InferOutputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * A ModelInfer answer: one FP32 output tensor of shape [batch, width], in {@code raw_output_contents}
 * when the request sent raw inputs (a client that writes raw bytes reads them too), else in
 * {@code contents.fp32_contents}.
 */
final class TensorEncoder {
    private TensorEncoder() {}

    static ModelInferResponse response(String id, Inferred inferred, boolean raw) {
        List<float[]> outputs = inferred.outputs();
        int width = outputs.get(0).length;
        InferOutputTensor.Builder tensor = InferOutputTensor.newBuilder().setName(inferred.output()).setDatatype("FP32")
                .addShape(outputs.size()).addShape(width);
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(inferred.model())
                .setModelVersion(inferred.version()).setId(id)
                // as over HTTP: the id the request is metered under; row i is PREDICTION_ID.i
                .putParameters("prediction_id", InferParameter.newBuilder().setStringParam(inferred.predictionId()).build());
        if (raw) {
            byte[] bytes = new byte[outputs.size() * width * Float.BYTES];
            FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (float[] row : outputs) floats.put(row);
            // the array is never written again, so protobuf may keep it instead of copying it
            response.addRawOutputContents(UnsafeByteOperations.unsafeWrap(bytes));
        } else {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (float[] row : outputs) {
                for (float v : row) contents.addFp32Contents(v);
            }
            tensor.setContents(contents);
        }
        return response.addOutputs(tensor).build();
    }
}
