package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A stream's events wait in a bounded queue: a client that stops reading stops the work, not the memory. */
class EventStreamRelayTest {
    @Test
    void aStreamWhoseClientStopsReadingStopsItsWork() {
        EventStream.Relay relay = new EventStream.Relay();
        for (int i = 0; i < EventStream.Relay.MOST_QUEUED; i++) {
            assertTrue(relay.send("{\"token\": " + i + "}", i + 1), "event " + i);
        }
        assertFalse(relay.open(), "a full queue: the client is not reading");
        assertFalse(relay.send("{\"token\": \"one too many\"}", EventStream.Relay.MOST_QUEUED + 1));
    }
}
