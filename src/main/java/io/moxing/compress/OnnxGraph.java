package io.moxing.compress;

import com.google.protobuf.ByteString;
import io.moxing.compress.onnx.AttributeProto;
import io.moxing.compress.onnx.GraphProto;
import io.moxing.compress.onnx.ModelProto;
import io.moxing.compress.onnx.NodeProto;
import io.moxing.compress.onnx.OperatorSetIdProto;
import io.moxing.compress.onnx.TensorProto;
import io.moxing.compress.onnx.TensorShapeProto;
import io.moxing.compress.onnx.TypeProto;
import io.moxing.compress.onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as an ONNX graph: one input (a batch of samples), nodes in the order they run, the constant tensors
 * they read, one output. {@link OnnxExport} builds it in float32 from a compiled spec, {@link StaticQuantization}
 * rewrites it with int8 weights and quantize/dequantize pairs, and {@link #toBytes} writes either as an ONNX model
 * (IR version 7, opset 13) that ONNX Runtime runs.
 */
final class OnnxGraph {
    /** ONNX's element types that Moxing writes, with their numbers in TensorProto.DataType and their byte widths. */
    enum Type {
        FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), INT32(6, 4);

        final int onnx;
        final int bytes;

        Type(int onnx, int bytes) {
            this.onnx = onnx;
            this.bytes = bytes;
        }
    }

    /** A constant tensor, its values little-endian as ONNX stores them. Scalars have no dims. */
    record Constant(String name, Type type, long[] dims, byte[] raw) {}

    /**
     * One operation: {@code attributes} values are Long, Float, long[] or float[]; {@code domain} is empty for the
     * standard operators.
     */
    record Node(String op, List<String> inputs, String output, Map<String, Object> attributes) {}

    static final String INPUT = "input";
    private static final int IR_VERSION = 7;
    private static final int OPSET = 13;

    private final long[] sampleShape;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Constant> constants = new LinkedHashMap<>();
    private String output = INPUT;
    private String logits = INPUT;
    private int counter;

    OnnxGraph(long[] sampleShape) {
        this.sampleShape = sampleShape.clone();
    }

    long[] sampleShape() {
        return sampleShape.clone();
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    Constant constant(String name) {
        return constants.get(name);
    }

    String output() {
        return output;
    }

    /** The tensor before the output head (the logits), which stays in float. */
    String logits() {
        return logits;
    }

    /** The graph's output and the tensor the output head reads (the same when there is no head). */
    void output(String tensor, String logits) {
        this.output = tensor;
        this.logits = logits;
    }

    /** Adds a node writing a fresh tensor named after {@code op}; returns that tensor's name. */
    String node(String op, Map<String, Object> attributes, String... inputs) {
        String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
        nodes.add(new Node(op, List.of(inputs), out, attributes));
        return out;
    }

    /** Adds a node as it is (its output named already): for rewriting another graph's nodes. */
    void add(Node node) {
        nodes.add(node);
    }

    /** Adds another graph's constant under its own name. */
    void put(Constant c) {
        constants.put(c.name(), c);
    }

    /** Removes the last node and returns it (a head activation that prediction applies itself). */
    Node removeLast() {
        return nodes.remove(nodes.size() - 1);
    }

    String floats(String prefix, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return constant(prefix, Type.FLOAT, dims, b.array());
    }

    String int8s(String prefix, long[] dims, byte[] values) {
        return constant(prefix, Type.INT8, dims, values.clone());
    }

    String uint8(String prefix, int value) {
        return constant(prefix, Type.UINT8, new long[0], new byte[] {(byte) value});
    }

    String int32s(String prefix, long[] dims, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return constant(prefix, Type.INT32, dims, b.array());
    }

    /** The float values of a float constant. */
    static float[] floatsOf(Constant c) {
        ByteBuffer b = ByteBuffer.wrap(c.raw()).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[c.raw().length / 4];
        for (int i = 0; i < out.length; i++) out[i] = b.getFloat();
        return out;
    }

    private String constant(String prefix, Type type, long[] dims, byte[] raw) {
        String name = fresh(prefix);
        constants.put(name, new Constant(name, type, dims.clone(), raw));
        return name;
    }

    String fresh(String prefix) {
        return prefix + "_" + counter++;
    }

    /**
     * The model's bytes. {@code extraOutputs}: intermediate tensors to answer as well (float, shape left to the
     * runtime), which calibration reads.
     */
    byte[] toBytes(List<String> extraOutputs) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("moxing");
        for (Node n : nodes) {
            NodeProto.Builder node = NodeProto.newBuilder().setOpType(n.op()).setName(n.output()).addAllInput(n.inputs())
                    .addOutput(n.output());
            n.attributes().forEach((key, value) -> node.addAttribute(attribute(key, value)));
            graph.addNode(node);
        }
        for (Constant c : constants.values()) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(c.name()).setDataType(c.type().onnx)
                    .setRawData(ByteString.copyFrom(c.raw()));
            for (long d : c.dims()) t.addDims(d);
            graph.addInitializer(t);
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : sampleShape) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        graph.addInput(ValueInfoProto.newBuilder().setName(INPUT).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(Type.FLOAT.onnx).setShape(shape))));
        graph.addOutput(floatValue(output));
        for (String extra : extraOutputs) {
            if (!extra.equals(output)) graph.addOutput(floatValue(extra));
        }
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("moxing").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).build().toByteArray();
    }

    private static ValueInfoProto floatValue(String name) {
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(Type.FLOAT.onnx))).build();
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long l) {
            a.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (value instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (value instanceof long[] ints) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long v : ints) a.addInts(v);
        } else {
            throw new IllegalArgumentException("attribute " + name + ": " + value);
        }
        return a.build();
    }
}
