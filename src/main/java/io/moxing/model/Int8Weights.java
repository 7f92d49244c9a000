package io.moxing.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A block's parameters stored weight-only int8: every array of rank 2 or more (convolution kernels, dense
 * matrices) as int8 with one symmetric float scale per output channel (its first axis), everything else (biases,
 * batch-norm statistics: a few hundred numbers) as float32. Read back, the weights are dequantised to float32, so
 * the model runs exactly as an fp32 one does: this buys a file about 4x smaller, not speed.
 *
 * <p>Per output channel because one scale for a whole tensor lets its largest channel set the step for all the
 * others; symmetric (no zero point) because trained weights are centred on zero.
 *
 * <p>Format: magic {@code MXI8}, format version, parameter count; per parameter its name, rank, shape, a kind byte
 * (0 float32, 1 int8 per channel) and then either the floats or the channel scales followed by the int8 values.
 */
public final class Int8Weights {
    private static final int MAGIC = 0x4d584938; // "MXI8"
    static final int FORMAT_VERSION = 1;
    private static final byte FLOAT32 = 0;
    private static final byte INT8_PER_CHANNEL = 1;

    private Int8Weights() {}

    /** Writes {@code block}'s initialised parameters, in the block's own order. */
    public static void write(Block block, DataOutputStream out) throws IOException {
        var parameters = block.getParameters();
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeInt(parameters.size());
        for (Pair<String, Parameter> p : parameters) {
            NDArray array = p.getValue().getArray();
            long[] shape = array.getShape().getShape();
            float[] values = array.toFloatArray();
            out.writeUTF(p.getKey());
            out.writeInt(shape.length);
            for (long d : shape) out.writeLong(d);
            if (shape.length < 2) {
                out.writeByte(FLOAT32);
                for (float v : values) out.writeFloat(v);
                continue;
            }
            Quantized q = quantize(values, (int) shape[0]);
            out.writeByte(INT8_PER_CHANNEL);
            for (float s : q.scales) out.writeFloat(s);
            out.write(q.values);
        }
    }

    /** Reads parameters written by {@link #write} into {@code block} (initialised, same spec), dequantised to float32. */
    public static void read(Block block, NDManager manager, DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not an int8 weights file (no MXI8 header)");
        }
        int version = in.readInt();
        if (version > FORMAT_VERSION) {
            throw new IOException("int8 weights format " + version + " is newer than this Moxing understands ("
                    + FORMAT_VERSION + "); upgrade Moxing");
        }
        var parameters = block.getParameters();
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new IOException("the file holds " + count + " parameter arrays but the spec makes " + parameters.size());
        }
        for (Pair<String, Parameter> p : parameters) {
            String name = in.readUTF();
            if (!name.equals(p.getKey())) {
                throw new IOException("parameter " + name + " found where the spec has " + p.getKey());
            }
            long[] shape = new long[in.readInt()];
            for (int i = 0; i < shape.length; i++) shape[i] = in.readLong();
            NDArray target = p.getValue().getArray();
            if (!Arrays.equals(shape, target.getShape().getShape())) {
                throw new IOException("parameter " + name + " has shape " + Arrays.toString(shape) + " in the file but "
                        + target.getShape() + " in the spec");
            }
            int size = Math.toIntExact(new Shape(shape).size());
            float[] values = new float[size];
            byte kind = in.readByte();
            if (kind == FLOAT32) {
                for (int i = 0; i < size; i++) values[i] = in.readFloat();
            } else if (kind == INT8_PER_CHANNEL) {
                float[] scales = new float[(int) shape[0]];
                for (int c = 0; c < scales.length; c++) scales[c] = in.readFloat();
                byte[] q = new byte[size];
                in.readFully(q);
                int perChannel = size / scales.length;
                for (int i = 0; i < size; i++) values[i] = q[i] * scales[i / perChannel];
            } else {
                throw new IOException("parameter " + name + " has unknown storage kind " + kind);
            }
            try (NDManager scratch = manager.newSubManager()) {
                scratch.create(values, new Shape(shape)).copyTo(target);
            }
        }
    }

    /** Channel {@code c}'s values (a contiguous run of the first axis) as round(w / scale), scale = max|w| / 127. */
    static Quantized quantize(float[] values, int channels) {
        int perChannel = values.length / channels;
        float[] scales = new float[channels];
        byte[] q = new byte[values.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) max = Math.max(max, Math.abs(values[i]));
            // an all-zero channel (a pruned one) keeps scale 1: any scale reproduces zeros
            float scale = max == 0 ? 1f : max / 127f;
            scales[c] = scale;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scale)));
            }
        }
        return new Quantized(scales, q);
    }

    record Quantized(float[] scales, byte[] values) {}
}
