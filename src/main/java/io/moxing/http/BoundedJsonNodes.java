package io.moxing.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Makes the objects and arrays of one request body's tree, and refuses the body once it has made more than its share.
 * The body limit counts bytes, but a byte of JSON can cost very different amounts of heap: a number is a small node,
 * while {@code {},} (three bytes) is an object node with its map, about 150 bytes. Ten megabytes of empty objects
 * parsed to 3.3 million nodes and half a gigabyte. One container per {@value #BYTES_PER_CONTAINER} bytes of body is far
 * above what real requests hold (rows of 784 numbers, v2 data nested by its shape, chat messages, lists of texts), and
 * keeps the tree within about ten times the body's size. One instance per parse; not shared between threads.
 */
final class BoundedJsonNodes extends JsonNodeFactory {
    static final int BYTES_PER_CONTAINER = 16;
    /** Small bodies may hold a few more, so that a short list of empty objects is not refused for its size. */
    private static final long FLOOR = 1024;
    private final long most;
    private long made;

    /**
     * Whether a body of this size could hold more containers than its share: each takes two bytes at least
     * ({@code []}), so one of {@code 2 * FLOOR} bytes or fewer cannot, and is read without counting (a v2 binary
     * request's JSON header, a prediction's row: making a reader for each of them showed in the serving profile).
     */
    static boolean needed(int bodyBytes) {
        return bodyBytes > 2 * FLOOR;
    }

    BoundedJsonNodes(int bodyBytes) {
        super(false);
        this.most = Math.max(FLOOR, bodyBytes / BYTES_PER_CONTAINER);
    }

    @Override
    public ObjectNode objectNode() {
        count();
        return super.objectNode();
    }

    @Override
    public ArrayNode arrayNode() {
        count();
        return super.arrayNode();
    }

    @Override
    public ArrayNode arrayNode(int capacity) {
        count();
        return super.arrayNode(capacity);
    }

    private void count() {
        if (++made > most) {
            throw new ApiError(400, "json_too_nested", "the JSON holds more than " + most + " objects and arrays for its "
                    + "size (one per " + BYTES_PER_CONTAINER + " bytes); send the numbers as rows or as a v2 binary tensor");
        }
    }
}
