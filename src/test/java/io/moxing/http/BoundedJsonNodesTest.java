package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The share of containers a JSON body may make, on both sides of the size below which it is not counted. */
class BoundedJsonNodesTest {
    private static byte[] emptyArrays(int count) {
        return ("[" + "[],".repeat(count - 1) + "[]]").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aShortBodyCannotHoldMoreContainersThanItsShareSoItIsReadWhole() {
        // the most a body that is not counted can hold: 2,048 bytes of nested arrays are 1,024 containers, the floor
        assertEquals(false, BoundedJsonNodes.needed(2048));
        byte[] flat = emptyArrays(682);
        assertEquals(2047, flat.length);
        assertEquals(682, RequestDecoder.json(flat).size());
    }

    @Test
    void aLongerBodyIsCountedAndRefusedOnceItHoldsMore() {
        assertEquals(true, BoundedJsonNodes.needed(2049));
        byte[] many = emptyArrays(1100);
        ApiError refused = assertThrows(ApiError.class, () -> RequestDecoder.json(many));
        assertEquals("json_too_nested", refused.code());
        // the same containers spread over a body sixteen times their count are within its share
        String padded = "[" + "[],".repeat(1099) + "[]]" + " ".repeat(1100 * 16);
        assertEquals(1100, RequestDecoder.json(padded.getBytes(StandardCharsets.UTF_8)).size());
    }
}
