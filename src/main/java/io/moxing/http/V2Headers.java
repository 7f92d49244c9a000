package io.moxing.http;

import io.moxing.registry.ModelVersion;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * v2 JSON headers already read, by their exact bytes and the model they were checked against. A client of the
 * binary tensor extension sends one header for every request of a shape (its tensor follows it), and reading
 * that header as a JSON tree was the largest part of decoding such a request on a loaded server (async-profiler,
 * DECISIONS.md); comparing the bytes with ones read before costs a fraction of that.
 *
 * <p>Only what the bytes alone decide is kept: headers whose tensor follows as binary data and that carry no
 * {@code id} (a client that names its requests names each differently). Bounded: {@value #SLOTS} headers of at most
 * {@value #MAX_BYTES} bytes, a newer one taking an older one's slot. What any request gets from here is what
 * reading its own bytes would give, so sharing the table between tenants shows none of them anything.
 */
final class V2Headers {
    static final int SLOTS = 64;
    static final int MAX_BYTES = 1024;

    private record Kept(ModelVersion card, byte[] json, V2Codec.Header header) {}

    private final AtomicReferenceArray<Kept> slots = new AtomicReferenceArray<>(SLOTS);

    /** The header read before from {@code body[0, length)} for {@code card}, or null. */
    V2Codec.Header find(ModelVersion card, byte[] body, int length) {
        if (length > MAX_BYTES) return null;
        Kept kept = slots.get(slot(body, length));
        return kept != null && kept.card == card && Arrays.equals(kept.json, 0, kept.json.length, body, 0, length)
                ? kept.header : null;
    }

    /** Keeps {@code header}, read from {@code body[0, length)} for {@code card}, if it is one the bytes alone decide. */
    void keep(ModelVersion card, byte[] body, int length, V2Codec.Header header) {
        if (length > MAX_BYTES || header.id() != null || !(header.input() instanceof V2Input.Binary)) return;
        slots.set(slot(body, length), new Kept(card, Arrays.copyOf(body, length), header));
    }

    /** The slot for a header: its length and every fourth byte, which is enough to tell a client's few headers apart. */
    private static int slot(byte[] body, int length) {
        int h = length;
        for (int i = 0; i < length; i += 4) h = 31 * h + body[i];
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
