package io.moxing.predict;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.core.UserException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The element types a client may send a tensor in (the Open Inference Protocol's names), each read into
 * the float32 our models take. A value the type cannot hold, or that float32 cannot hold, is refused
 * rather than passed on as infinity or NaN.
 */
public enum TensorType {
    FP16(2, null, null),
    FP32(4, null, null),
    FP64(8, null, null),
    INT8(1, -128L, 127L),
    INT16(2, -32_768L, 32_767L),
    INT32(4, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE),
    INT64(8, Long.MIN_VALUE, Long.MAX_VALUE),
    UINT8(1, 0L, 255L),
    UINT16(2, 0L, 65_535L),
    UINT32(4, 0L, 4_294_967_295L),
    /** Its largest value, 2^64 - 1, is past a long: {@link #max} holds Long.MAX_VALUE and big values take the slow path. */
    UINT64(8, 0L, Long.MAX_VALUE);

    /** The largest finite FP16 value. */
    private static final float FP16_MAX = 65_504f;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final int bytes;
    /** Integer types' range; null for floating-point types. */
    private final Long min;
    private final Long max;

    TensorType(int bytes, Long min, Long max) {
        this.bytes = bytes;
        this.min = min;
        this.max = max;
    }

    /** The type named {@code name}, or null when it is not one we read (BOOL, BYTES, a typo). */
    public static TensorType named(String name) {
        for (TensorType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }

    /** Bytes per element in the binary (little-endian) form. */
    public int bytes() {
        return bytes;
    }

    private boolean isInteger() {
        return min != null;
    }

    /** A JSON number as float32; a {@link UserException} saying why when this type or float32 cannot hold it. */
    public float fromJson(JsonNode value) {
        if (!value.isNumber()) {
            throw new UserException("not_a_number", shown(value) + " is not a number");
        }
        if (isInteger()) return integer(value);
        double d = value.doubleValue();
        float f = (float) d;
        if (this == FP16 && Math.abs(d) > FP16_MAX) {
            throw new UserException("out_of_range", shown(value) + " is beyond FP16's range (±" + FP16_MAX + ")");
        }
        if (Float.isInfinite(f)) {
            // FP64 is read fine, but the model computes in float32, where this value would be infinity
            throw new UserException("out_of_range", shown(value) + " is beyond float32's range (±" + Float.MAX_VALUE + ")"
                    + (this == FP64 ? ", which this model computes in" : ""));
        }
        return f;
    }

    private float integer(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            long v = value.longValue();
            if (v < min || v > max) throw outOfRange(value);
            return (float) v;
        }
        // the rare path: a whole number written with a fraction or exponent (3.0, 1e3), or past a long
        double d = value.doubleValue();
        if (value.isFloatingPointNumber() && (!Double.isFinite(d) || d != Math.rint(d))) {
            throw new UserException("not_an_integer", shown(value) + " is not a whole number, which " + name() + " needs");
        }
        BigInteger v = (value.isFloatingPointNumber() ? BigDecimal.valueOf(d) : value.decimalValue()).toBigInteger();
        BigInteger upper = this == UINT64 ? UINT64_MAX : BigInteger.valueOf(max);
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(upper) > 0) throw outOfRange(value);
        return v.floatValue();
    }

    private UserException outOfRange(JsonNode value) {
        String upper = this == UINT64 ? UINT64_MAX.toString() : Long.toString(max);
        return new UserException("out_of_range", shown(value) + " is outside " + name() + "'s range " + min + " to " + upper);
    }

    private static String shown(JsonNode value) {
        if (value.isNumber() && !Double.isFinite(value.doubleValue())) return "a number past float64's range";
        String text = value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /**
     * Whether {@code v}, a value that arrived as a number of this type, is one: a whole number in range for
     * integer types, a finite float32 (within FP16's range for FP16) otherwise. False for NaN.
     */
    public boolean holds(double v) {
        if (isInteger()) {
            double upper = this == UINT64 ? 0x1p64 - 1 : max;
            return v == Math.rint(v) && v >= min && v <= upper;
        }
        return Float.isFinite((float) v) && (this != FP16 || Math.abs(v) <= FP16_MAX);
    }

    /**
     * Reads {@code out.length} little-endian elements of this type from {@code in} (positioned at the first).
     * Returns the index of the first element that float32 cannot hold (NaN, infinite, past its range), or -1.
     */
    public int readLittleEndian(ByteBuffer in, float[] out) {
        ByteBuffer le = in.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            // FP32 is the measured path: one bulk copy, no per-value calls
            case FP32 -> le.asFloatBuffer().get(out);
            case FP64 -> { for (int i = 0; i < out.length; i++) out[i] = (float) le.getDouble(i * 8); }
            case FP16 -> { for (int i = 0; i < out.length; i++) out[i] = halfToFloat(le.getShort(i * 2)); }
            case INT8 -> { for (int i = 0; i < out.length; i++) out[i] = le.get(i); }
            case UINT8 -> { for (int i = 0; i < out.length; i++) out[i] = le.get(i) & 0xFF; }
            case INT16 -> { for (int i = 0; i < out.length; i++) out[i] = le.getShort(i * 2); }
            case UINT16 -> { for (int i = 0; i < out.length; i++) out[i] = le.getShort(i * 2) & 0xFFFF; }
            case INT32 -> { for (int i = 0; i < out.length; i++) out[i] = le.getInt(i * 4); }
            case UINT32 -> { for (int i = 0; i < out.length; i++) out[i] = le.getInt(i * 4) & 0xFFFF_FFFFL; }
            case INT64 -> { for (int i = 0; i < out.length; i++) out[i] = le.getLong(i * 8); }
            case UINT64 -> { for (int i = 0; i < out.length; i++) out[i] = unsignedToFloat(le.getLong(i * 8)); }
        }
        if (isInteger()) return -1;
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) return i;
        }
        return -1;
    }

    /** IEEE 754 half precision to single (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits >>> 15) << 31;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        // rebias the exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static float unsignedToFloat(long v) {
        if (v >= 0) return v;
        // halve (keeping the low bit so rounding stays right), convert, double
        return ((float) ((v >>> 1) | (v & 1))) * 2f;
    }
}
