package io.moxing.grpc;

import com.google.protobuf.ByteString;
import io.moxing.grpc.InferenceBackend.Signature;
import io.moxing.grpc.protocol.InferTensorContents;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A ModelInfer request's samples for one version's {@link Signature}: one input tensor of shape
 * [batch, ...the sample shape], its values in {@code raw_input_contents} (little-endian, row-major) or in
 * the contents field of its datatype. FP32 is copied as it is; other types are converted, each value
 * checked against its type's range and refused when it is not a finite float. Every length is checked
 * before anything is allocated, so a shape that claims more than the message holds costs nothing.
 */
final class TensorDecoder {
    private TensorDecoder() {}

    static List<float[]> samples(ModelInferRequest request, Signature signature) {
        checkRequestedOutputs(request, signature);
        if (request.getInputsCount() != 1) {
            throw invalid("invalid_inputs", "the request has " + request.getInputsCount() + " input tensors; model "
                    + signature.model() + " takes one, '" + signature.input() + "' of shape " + expected(signature));
        }
        InferInputTensor input = request.getInputs(0);
        Datatype type = Datatype.of(input.getDatatype());
        int batch = batch(input, signature);
        int size = 1;
        for (int d : signature.sampleShape()) size = Math.multiplyExact(size, d);
        return request.getRawInputContentsCount() > 0
                ? fromRaw(request, input, type, batch, size)
                : fromContents(input, type, batch, size);
    }

    private static void checkRequestedOutputs(ModelInferRequest request, Signature signature) {
        for (int i = 0; i < request.getOutputsCount(); i++) {
            String name = request.getOutputs(i).getName();
            if (!name.equals(signature.output())) {
                throw invalid("unknown_output", "outputs[" + i + "].name '" + name + "' is not an output of model "
                        + signature.model() + "; it has one, '" + signature.output() + "' (or leave outputs empty for all)");
            }
        }
    }

    /** The batch size, once the shape is [batch, ...sample shape] with every dimension a non-negative int. */
    private static int batch(InferInputTensor input, Signature signature) {
        List<Integer> sample = signature.sampleShape();
        boolean fits = input.getShapeCount() == sample.size() + 1;
        for (int i = 0; fits && i < input.getShapeCount(); i++) {
            long d = input.getShape(i);
            fits = d >= 0 && d <= Integer.MAX_VALUE && (i == 0 || d == sample.get(i - 1));
        }
        if (!fits) {
            throw invalid("wrong_shape", "inputs[0].shape " + input.getShapeList() + " does not fit model " + signature.model()
                    + ": expected " + expected(signature) + " (batch first)");
        }
        if (input.getShape(0) == 0) {
            throw invalid("empty_batch", "inputs[0].shape " + input.getShapeList() + " holds no sample; send a batch of at least 1");
        }
        return (int) input.getShape(0);
    }

    private static List<float[]> fromRaw(ModelInferRequest request, InferInputTensor input, Datatype type, int batch, int size) {
        if (request.getRawInputContentsCount() != 1 || input.hasContents()) {
            throw invalid("invalid_raw_contents", "send inputs[0]'s values once: as raw_input_contents[0] (the request has "
                    + request.getRawInputContentsCount() + " entries) or in inputs[0].contents, not both");
        }
        ByteString bytes = request.getRawInputContents(0);
        long needed = Math.multiplyExact(Math.multiplyExact((long) batch, size), type.width);
        if (bytes.size() != needed) {
            throw invalid("wrong_shape", "raw_input_contents[0] has " + bytes.size() + " bytes but shape " + input.getShapeList()
                    + " of " + type + " needs " + needed + " (" + type.width + " bytes per value, little-endian)");
        }
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> samples = new ArrayList<>(batch);
        if (type == Datatype.FP32) {
            // the common case, copied in bulk: no per-value call
            FloatBuffer floats = buffer.asFloatBuffer();
            for (int b = 0; b < batch; b++) {
                float[] sample = new float[size];
                floats.get(sample);
                for (int i = 0; i < size; i++) {
                    if (!Float.isFinite(sample[i])) throw outOfRange(type, b * size + i, sample[i]);
                }
                samples.add(sample);
            }
            return samples;
        }
        for (int b = 0; b < batch; b++) {
            float[] sample = new float[size];
            for (int i = 0; i < size; i++) sample[i] = checked(type, b * size + i, type.raw(buffer));
            samples.add(sample);
        }
        return samples;
    }

    private static List<float[]> fromContents(InferInputTensor input, Datatype type, int batch, int size) {
        InferTensorContents contents = input.getContents();
        long needed = (long) batch * size;
        int count = type.count(contents);
        if (count != needed) {
            throw invalid("wrong_shape", "inputs[0].contents." + type.field + " has " + count + " values but shape "
                    + input.getShapeList() + " needs " + needed + (count == 0 ? "; send them there or in raw_input_contents" : ""));
        }
        List<float[]> samples = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            float[] sample = new float[size];
            int offset = b * size;
            if (type == Datatype.FP32) {
                for (int i = 0; i < size; i++) {
                    sample[i] = contents.getFp32Contents(offset + i);
                    if (!Float.isFinite(sample[i])) throw outOfRange(type, offset + i, sample[i]);
                }
            } else {
                for (int i = 0; i < size; i++) sample[i] = checked(type, offset + i, type.content(contents, offset + i));
            }
            samples.add(sample);
        }
        return samples;
    }

    private static float checked(Datatype type, int index, double value) {
        if (!type.accepts(value)) throw outOfRange(type, index, value);
        return (float) value;
    }

    private static Refused outOfRange(Datatype type, int index, double value) {
        return invalid("invalid_data", "inputs[0] value " + index + " (" + value + ") is out of range: each value must be a "
                + type + " value and a finite FP32 number");
    }

    private static String expected(Signature signature) {
        List<Object> shape = new ArrayList<>();
        shape.add(-1);
        shape.addAll(signature.sampleShape());
        return shape.toString();
    }

    private static Refused invalid(String code, String message) {
        return new Refused(400, code, message);
    }
}
