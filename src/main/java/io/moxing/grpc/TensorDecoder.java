package io.moxing.grpc;

import com.google.protobuf.ByteString;
import io.moxing.grpc.InferenceBackend.Signature;
import io.moxing.grpc.protocol.InferTensorContents;
import io.moxing.grpc.protocol.ModelInferRequest;
import io.moxing.grpc.protocol.ModelInferRequest.InferInputTensor;
import io.moxing.predict.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        TensorType type = datatype(input.getDatatype());
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

    /**
     * The input's type. The types the protocol carries only as bytes (BOOL, BYTES) are not read here; FP16 is
     * read from raw_input_contents only, as InferTensorContents has no FP16 field.
     */
    private static TensorType datatype(String name) {
        TensorType type = TensorType.named(name);
        if (type == null) {
            throw invalid("invalid_datatype", "inputs[0].datatype '" + name + "' is not one this server reads;"
                    + " send FP32 (or FP16, FP64, INT8 to INT64, UINT8 to UINT64)");
        }
        return type;
    }

    private static List<float[]> fromRaw(ModelInferRequest request, InferInputTensor input, TensorType type, int batch, int size) {
        if (request.getRawInputContentsCount() != 1 || input.hasContents()) {
            throw invalid("invalid_raw_contents", "send inputs[0]'s values once: as raw_input_contents[0] (the request has "
                    + request.getRawInputContentsCount() + " entries) or in inputs[0].contents, not both");
        }
        ByteString bytes = request.getRawInputContents(0);
        long needed = Math.multiplyExact(Math.multiplyExact((long) batch, size), type.bytes());
        if (bytes.size() != needed) {
            throw invalid("wrong_shape", "raw_input_contents[0] has " + bytes.size() + " bytes but shape " + input.getShapeList()
                    + " of " + type + " needs " + needed + " (" + type.bytes() + " bytes per value, little-endian)");
        }
        float[] values = new float[batch * size];
        int bad = type.readLittleEndian(bytes.asReadOnlyByteBuffer(), values);
        if (bad >= 0) throw outOfRange(type, bad, values[bad]);
        return rows(values, batch, size);
    }

    private static List<float[]> fromContents(InferInputTensor input, TensorType type, int batch, int size) {
        if (type == TensorType.FP16) {
            throw invalid("invalid_datatype", "inputs[0] is FP16, which the protocol's InferTensorContents cannot carry;"
                    + " send its values as raw_input_contents[0] (2 bytes per value, little-endian)");
        }
        InferTensorContents contents = input.getContents();
        long needed = (long) batch * size;
        int count = count(type, contents);
        if (count != needed) {
            throw invalid("wrong_shape", "inputs[0].contents." + field(type) + " has " + count + " values but shape "
                    + input.getShapeList() + " needs " + needed + (count == 0 ? "; send them there or in raw_input_contents" : ""));
        }
        float[] values = new float[(int) needed];
        for (int i = 0; i < values.length; i++) {
            double v = value(type, contents, i);
            if (!type.holds(v)) throw outOfRange(type, i, v);
            values[i] = (float) v;
        }
        return rows(values, batch, size);
    }

    private static List<float[]> rows(float[] values, int batch, int size) {
        List<float[]> samples = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) samples.add(java.util.Arrays.copyOfRange(values, b * size, (b + 1) * size));
        return samples;
    }

    /** The field of InferTensorContents that carries values of {@code type}. */
    private static String field(TensorType type) {
        return switch (type) {
            case FP32 -> "fp32_contents";
            case FP64 -> "fp64_contents";
            case INT8, INT16, INT32 -> "int_contents";
            case INT64 -> "int64_contents";
            case UINT8, UINT16, UINT32 -> "uint_contents";
            case UINT64 -> "uint64_contents";
            case FP16 -> throw new IllegalArgumentException("FP16 has no contents field");
        };
    }

    private static int count(TensorType type, InferTensorContents c) {
        return switch (type) {
            case FP32 -> c.getFp32ContentsCount();
            case FP64 -> c.getFp64ContentsCount();
            case INT8, INT16, INT32 -> c.getIntContentsCount();
            case INT64 -> c.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
            case UINT64 -> c.getUint64ContentsCount();
            case FP16 -> throw new IllegalArgumentException("FP16 has no contents field");
        };
    }

    private static double value(TensorType type, InferTensorContents c, int i) {
        return switch (type) {
            case FP32 -> c.getFp32Contents(i);
            case FP64 -> c.getFp64Contents(i);
            case INT8, INT16, INT32 -> c.getIntContents(i);
            case INT64 -> c.getInt64Contents(i);
            case UINT8, UINT16, UINT32 -> Integer.toUnsignedLong(c.getUintContents(i));
            // halve, keeping the low bit so the rounding stays right, then double
            case UINT64 -> (double) (c.getUint64Contents(i) >>> 1) * 2.0 + (c.getUint64Contents(i) & 1);
            case FP16 -> throw new IllegalArgumentException("FP16 has no contents field");
        };
    }

    private static Refused outOfRange(TensorType type, int index, double value) {
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
