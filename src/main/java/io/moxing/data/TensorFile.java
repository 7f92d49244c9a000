package io.moxing.data;

import io.moxing.core.AtomicFiles;
import io.moxing.core.UserException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A tensor on disk: magic {@code MXT}, a format version byte, the element type, the rank and
 * the dimensions, then the elements little-endian. The first dimension counts samples.
 */
public record TensorFile(DType dtype, long[] shape, ByteBuffer data) {
    private static final byte[] MAGIC = {'M', 'X', 'T'};
    private static final byte FORMAT_VERSION = 1;

    public TensorFile {
        data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long expected = dtype.bytes() * Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (expected != data.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + expected
                    + " bytes of " + dtype + ", got " + data.remaining());
        }
    }

    public static TensorFile ofBytes(byte[] values, long... shape) {
        return new TensorFile(DType.UINT8, shape, ByteBuffer.wrap(values));
    }

    public static TensorFile ofFloats(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TensorFile(DType.FLOAT32, shape, b);
    }

    public int count() {
        return (int) shape[0];
    }

    /** Elements per sample: the product of every dimension after the first. */
    public int sampleSize() {
        long size = 1;
        for (int i = 1; i < shape.length; i++) {
            size *= shape[i];
        }
        return Math.toIntExact(size);
    }

    /** Sample {@code index}'s elements as floats (uint8 values as 0..255) into {@code out}, of {@link #sampleSize()}. */
    public void sample(int index, float[] out) {
        int size = sampleSize();
        int start = data.position() + index * size * dtype.bytes();
        for (int i = 0; i < size; i++) {
            out[i] = dtype == DType.UINT8 ? data.get(start + i) & 0xFF : data.getFloat(start + i * 4);
        }
    }

    /** Every element as a float, converting uint8 values to 0..255. */
    public float[] toFloats() {
        int n = data.remaining() / dtype.bytes();
        float[] out = new float[n];
        if (dtype == DType.UINT8) {
            for (int i = 0; i < n; i++) {
                out[i] = data.get(data.position() + i) & 0xFF;
            }
        } else {
            data.asFloatBuffer().get(out);
        }
        return out;
    }

    public void write(Path file) {
        AtomicFiles.write(file, out -> {
            DataOutputStream d = new DataOutputStream(out);
            d.write(MAGIC);
            d.writeByte(FORMAT_VERSION);
            d.writeByte(dtype.ordinal());
            d.writeByte(shape.length);
            for (long dim : shape) {
                d.writeLong(dim);
            }
            ByteBuffer copy = data.duplicate();
            byte[] chunk = new byte[1 << 16];
            while (copy.hasRemaining()) {
                int n = Math.min(chunk.length, copy.remaining());
                copy.get(chunk, 0, n);
                d.write(chunk, 0, n);
            }
            d.flush();
        });
    }

    public static TensorFile read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = in.readNBytes(3);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new UserException("corrupt_tensor_file", file + ": not a Moxing tensor file; re-import the data set");
            }
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) {
                throw new UserException("unsupported_format", file + ": tensor format version " + version
                        + " is newer than this Moxing understands (" + FORMAT_VERSION + "); upgrade Moxing");
            }
            DType dtype = DType.values()[in.readUnsignedByte()];
            long[] shape = new long[in.readUnsignedByte()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = in.readLong();
            }
            long bytes = dtype.bytes() * Arrays.stream(shape).reduce(1, Math::multiplyExact);
            byte[] data = in.readNBytes(Math.toIntExact(bytes));
            if (data.length != bytes) {
                throw new UserException("corrupt_tensor_file", file + ": truncated (" + data.length + " of "
                        + bytes + " bytes); re-import the data set");
            }
            return new TensorFile(dtype, shape, ByteBuffer.wrap(data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
