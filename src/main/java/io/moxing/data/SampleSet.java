package io.moxing.data;

import java.util.Arrays;

/**
 * A growable, columnar set of samples of one shape: features packed end to end (uint8 or float32)
 * and one float label per sample (a class index or a regression target).
 */
public final class SampleSet {
    private final DType dtype;
    private final int sampleSize;
    private byte[] bytes = new byte[0];
    private float[] floats = new float[0];
    private float[] labels = new float[16];
    private int count;

    public SampleSet(DType dtype, int sampleSize) {
        this.dtype = dtype;
        this.sampleSize = sampleSize;
        if (dtype == DType.UINT8) {
            bytes = new byte[16 * sampleSize];
        } else {
            floats = new float[16 * sampleSize];
        }
    }

    public void add(byte[] features, float label) {
        check(dtype == DType.UINT8 && features.length == sampleSize, features.length);
        grow();
        System.arraycopy(features, 0, bytes, count * sampleSize, sampleSize);
        labels[count++] = label;
    }

    public void add(float[] features, float label) {
        check(dtype == DType.FLOAT32 && features.length == sampleSize, features.length);
        grow();
        System.arraycopy(features, 0, floats, count * sampleSize, sampleSize);
        labels[count++] = label;
    }

    /** Copies sample {@code i} of {@code other} (same type and size) into this set. */
    public void addFrom(SampleSet other, int i) {
        grow();
        if (dtype == DType.UINT8) {
            System.arraycopy(other.bytes, i * sampleSize, bytes, count * sampleSize, sampleSize);
        } else {
            System.arraycopy(other.floats, i * sampleSize, floats, count * sampleSize, sampleSize);
        }
        labels[count++] = other.labels[i];
    }

    /** A digest-friendly view of sample {@code i}: its feature bytes followed by its label. */
    public byte[] identity(int i) {
        java.nio.ByteBuffer b;
        if (dtype == DType.UINT8) {
            b = java.nio.ByteBuffer.allocate(sampleSize + 4);
            b.put(bytes, i * sampleSize, sampleSize);
        } else {
            b = java.nio.ByteBuffer.allocate(sampleSize * 4 + 4);
            for (int k = 0; k < sampleSize; k++) {
                b.putFloat(floats[i * sampleSize + k]);
            }
        }
        b.putFloat(labels[i]);
        return b.array();
    }

    /** The same identity without the label, to find a sample that appears in two splits. */
    public byte[] featureIdentity(int i) {
        byte[] withLabel = identity(i);
        return Arrays.copyOf(withLabel, withLabel.length - 4);
    }

    public int count() {
        return count;
    }

    public int sampleSize() {
        return sampleSize;
    }

    public DType dtype() {
        return dtype;
    }

    public float label(int i) {
        return labels[i];
    }

    public float[] labels() {
        return Arrays.copyOf(labels, count);
    }

    /** Feature value {@code k} of sample {@code i} as a float (uint8 as 0..255). */
    public float value(int i, int k) {
        return dtype == DType.UINT8 ? bytes[i * sampleSize + k] & 0xFF : floats[i * sampleSize + k];
    }

    public TensorFile features(long... sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = count;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return dtype == DType.UINT8
                ? TensorFile.ofBytes(Arrays.copyOf(bytes, count * sampleSize), shape)
                : TensorFile.ofFloats(Arrays.copyOf(floats, count * sampleSize), shape);
    }

    public TensorFile labelTensor() {
        return TensorFile.ofFloats(labels(), count);
    }

    private void grow() {
        if (count == labels.length) {
            labels = Arrays.copyOf(labels, count * 2);
            if (dtype == DType.UINT8) {
                bytes = Arrays.copyOf(bytes, count * 2 * sampleSize);
            } else {
                floats = Arrays.copyOf(floats, count * 2 * sampleSize);
            }
        }
    }

    private void check(boolean ok, int length) {
        if (!ok) {
            throw new IllegalArgumentException("sample of " + length + " " + dtype + " values does not fit a set of "
                    + sampleSize + " " + dtype + " values");
        }
    }
}
