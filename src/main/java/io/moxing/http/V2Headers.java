package io.moxing.http;

import io.moxing.registry.ModelVersion;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * v2 JSON headers already read, by their exact bytes, the tenant that sent them and the model they were checked
 * against. A client of the binary tensor extension sends one header for every request of a shape (its tensor
 * follows it), and reading that header as a JSON tree was the largest part of decoding such a request on a loaded
 * server (async-profiler, DECISIONS.md); comparing the bytes with ones read before costs a fraction of that.
 *
 * <p>Only what the bytes alone decide is kept: the tensor's datatype and sizes and the answer's form, for headers
 * whose tensor follows as binary data and that carry no {@code id} (a client that names its requests names each
 * differently). What a request gets from here is what reading its own bytes would give. Entries are the tenant's own,
 * so a tenant cannot learn from a quicker answer that another sent the same header. Bounded: {@value #SLOTS} headers
 * of at most {@value #MAX_BYTES} bytes, a newer one taking an older one's slot.
 */
final class V2Headers {
    static final int SLOTS = 64;
    static final int MAX_BYTES = 1024;

    /** Only a header whose values are {@link V2Input.Binary} is kept ({@link #keep}): none carries a JSON array. */
    private record Kept(String tenant, ModelVersion card, byte[] json, V2Codec.Header header) {}

    private final AtomicReferenceArray<Kept> slots = new AtomicReferenceArray<>(SLOTS);

    /** The header {@code tenant} sent before as {@code body[0, length)} for {@code card}, or null. */
    V2Codec.Header find(String tenant, ModelVersion card, byte[] body, int length) {
        if (length > MAX_BYTES) return null;
        Kept kept = slots.get(slot(body, length));
        if (kept == null || kept.card != card || !kept.tenant.equals(tenant)
                || !Arrays.equals(kept.json, 0, kept.json.length, body, 0, length)) {
            return null;
        }
        return kept.header;
    }

    /** Keeps {@code header}, read from {@code body[0, length)} for {@code card}, if it is one the bytes alone decide. */
    void keep(String tenant, ModelVersion card, byte[] body, int length, V2Codec.Header header) {
        if (length > MAX_BYTES || header.id() != null || !(header.input() instanceof V2Input.Binary)) return;
        slots.set(slot(body, length), new Kept(tenant, card, Arrays.copyOf(body, length), header));
    }

    private static int slot(byte[] body, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) h = 31 * h + body[i];
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
