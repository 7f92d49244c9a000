package io.moxing.data;

/** Element types a stored tensor may have. Images stay uint8 on disk; tables are float32. */
public enum DType {
    UINT8(1),
    FLOAT32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
