package io.moxing.grpc;

import io.moxing.grpc.protocol.InferTensorContents;
import java.nio.ByteBuffer;

/**
 * The tensor datatypes a model input may arrive in: how wide one element is in raw contents, which
 * contents field holds it, and which values it may take. Every value becomes an FP32 model input, so a
 * value must also be a finite float.
 */
enum Datatype {
    FP32(4, "fp32_contents", -Float.MAX_VALUE, Float.MAX_VALUE) {
        double raw(ByteBuffer b) { return b.getFloat(); }
        int count(InferTensorContents c) { return c.getFp32ContentsCount(); }
        double content(InferTensorContents c, int i) { return c.getFp32Contents(i); }
    },
    FP64(8, "fp64_contents", -Float.MAX_VALUE, Float.MAX_VALUE) {
        double raw(ByteBuffer b) { return b.getDouble(); }
        int count(InferTensorContents c) { return c.getFp64ContentsCount(); }
        double content(InferTensorContents c, int i) { return c.getFp64Contents(i); }
    },
    INT8(1, "int_contents", Byte.MIN_VALUE, Byte.MAX_VALUE) {
        double raw(ByteBuffer b) { return b.get(); }
        int count(InferTensorContents c) { return c.getIntContentsCount(); }
        double content(InferTensorContents c, int i) { return c.getIntContents(i); }
    },
    INT16(2, "int_contents", Short.MIN_VALUE, Short.MAX_VALUE) {
        double raw(ByteBuffer b) { return b.getShort(); }
        int count(InferTensorContents c) { return c.getIntContentsCount(); }
        double content(InferTensorContents c, int i) { return c.getIntContents(i); }
    },
    INT32(4, "int_contents", Integer.MIN_VALUE, Integer.MAX_VALUE) {
        double raw(ByteBuffer b) { return b.getInt(); }
        int count(InferTensorContents c) { return c.getIntContentsCount(); }
        double content(InferTensorContents c, int i) { return c.getIntContents(i); }
    },
    INT64(8, "int64_contents", Long.MIN_VALUE, Long.MAX_VALUE) {
        double raw(ByteBuffer b) { return b.getLong(); }
        int count(InferTensorContents c) { return c.getInt64ContentsCount(); }
        double content(InferTensorContents c, int i) { return c.getInt64Contents(i); }
    },
    UINT8(1, "uint_contents", 0, 0xFF) {
        double raw(ByteBuffer b) { return b.get() & 0xFF; }
        int count(InferTensorContents c) { return c.getUintContentsCount(); }
        double content(InferTensorContents c, int i) { return Integer.toUnsignedLong(c.getUintContents(i)); }
    },
    UINT16(2, "uint_contents", 0, 0xFFFF) {
        double raw(ByteBuffer b) { return b.getShort() & 0xFFFF; }
        int count(InferTensorContents c) { return c.getUintContentsCount(); }
        double content(InferTensorContents c, int i) { return Integer.toUnsignedLong(c.getUintContents(i)); }
    },
    UINT32(4, "uint_contents", 0, 0xFFFF_FFFFL) {
        double raw(ByteBuffer b) { return Integer.toUnsignedLong(b.getInt()); }
        int count(InferTensorContents c) { return c.getUintContentsCount(); }
        double content(InferTensorContents c, int i) { return Integer.toUnsignedLong(c.getUintContents(i)); }
    },
    UINT64(8, "uint64_contents", 0, 0x1p64) {
        double raw(ByteBuffer b) { return unsigned(b.getLong()); }
        int count(InferTensorContents c) { return c.getUint64ContentsCount(); }
        double content(InferTensorContents c, int i) { return unsigned(c.getUint64Contents(i)); }
    };

    /** values() copies its array on every call; a request should not pay for that. */
    private static final Datatype[] ALL = values();

    /** Bytes per element in raw contents. */
    final int width;
    /** The field of InferTensorContents that carries this type. */
    final String field;
    final double min;
    final double max;

    Datatype(int width, String field, double min, double max) {
        this.width = width;
        this.field = field;
        this.min = min;
        this.max = max;
    }

    /** The next element of little-endian raw contents. */
    abstract double raw(ByteBuffer b);

    abstract int count(InferTensorContents c);

    abstract double content(InferTensorContents c, int i);

    /** Whether {@code v} is a value of this type that an FP32 input can take (false for NaN). */
    boolean accepts(double v) {
        return v >= min && v <= max;
    }

    /** The type named by a request, or a refusal that lists the ones read. */
    static Datatype of(String name) {
        for (Datatype t : ALL) {
            if (t.name().equals(name)) return t;
        }
        throw new Refused(400, "invalid_datatype", "inputs[0].datatype '" + name + "' is not one this server reads;"
                + " send FP32 (or FP64, INT8 to INT64, UINT8 to UINT64)");
    }

    private static double unsigned(long v) {
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
