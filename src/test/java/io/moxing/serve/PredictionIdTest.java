package io.moxing.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PredictionIdTest {
    @Test
    void aRowIsItsRequestsIdAndItsPlace() {
        PredictionId id = new PredictionId("3f0c2a1e-77aa-4c2b-9d1e-0123456789ab", 12);
        assertEquals("3f0c2a1e-77aa-4c2b-9d1e-0123456789ab.12", id.toString());
        assertEquals(Optional.of(id), PredictionId.parse(id.toString()));
    }

    @Test
    void anythingElseIsNotAPredictionId() {
        for (String text : new String[] {null, "", "abc", ".1", "abc.", "abc.x", "a.b.1", "abc.-1", "abc.123456789"}) {
            assertTrue(PredictionId.parse(text).isEmpty(), String.valueOf(text));
        }
        assertThrows(IllegalArgumentException.class, () -> new PredictionId("a.b", 0));
        assertThrows(IllegalArgumentException.class, () -> new PredictionId("abc", -1));
    }
}
