package io.moxing.predict;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the numbers stored in an ONNX file's initializers (its weights, and a quantised graph's scales and
 * zero points) by walking the protobuf: ModelProto.graph (field 7) → GraphProto.initializer (5) →
 * TensorProto.dims (1). The tensors' data is skipped, so a 100 MB file is counted in a fraction of a second.
 */
final class OnnxParameters {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int TENSOR_DIMS = 1;

    private OnnxParameters() {}

    static long count(Path onnx) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(onnx), 1 << 16)) {
            CodedInputStream model = CodedInputStream.newInstance(in);
            model.setSizeLimit(Integer.MAX_VALUE);
            long total = 0;
            for (int tag; (tag = model.readTag()) != 0; ) {
                if (isMessage(tag, MODEL_GRAPH)) {
                    int graph = model.pushLimit(model.readRawVarint32());
                    for (int t; (t = model.readTag()) != 0; ) {
                        if (isMessage(t, GRAPH_INITIALIZER)) {
                            int tensor = model.pushLimit(model.readRawVarint32());
                            total += elements(model);
                            model.popLimit(tensor);
                        } else {
                            model.skipField(t);
                        }
                    }
                    model.popLimit(graph);
                } else {
                    model.skipField(tag);
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + onnx + " as an ONNX model", e);
        }
    }

    /** The product of a TensorProto's dims (1 for a scalar); the rest of the tensor is skipped. */
    private static long elements(CodedInputStream tensor) throws IOException {
        long n = 1;
        for (int t; (t = tensor.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(t) != TENSOR_DIMS) {
                tensor.skipField(t);
            } else if (WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int packed = tensor.pushLimit(tensor.readRawVarint32());
                while (!tensor.isAtEnd()) n *= tensor.readInt64();
                tensor.popLimit(packed);
            } else {
                n *= tensor.readInt64();
            }
        }
        return n;
    }

    private static boolean isMessage(int tag, int field) {
        return WireFormat.getTagFieldNumber(tag) == field
                && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
}
