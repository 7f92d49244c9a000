package io.moxing.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void idsAreDistinctVersion4UuidsThatDoNotCountUp() {
        Set<String> seen = new HashSet<>();
        long previousLow = 0;
        int closeNeighbours = 0;
        for (int i = 0; i < 100_000; i++) {
            String id = RequestIds.next();
            UUID parsed = UUID.fromString(id);
            assertEquals(4, parsed.version(), id);
            assertEquals(2, parsed.variant(), id);
            assertTrue(seen.add(id), "repeated " + id);
            // consecutive ids must not reveal how many were drawn in between
            if (Math.abs(parsed.getLeastSignificantBits() - previousLow) < 1_000_000) closeNeighbours++;
            previousLow = parsed.getLeastSignificantBits();
        }
        assertTrue(closeNeighbours < 5, closeNeighbours + " consecutive ids were numerically close");
    }
}
