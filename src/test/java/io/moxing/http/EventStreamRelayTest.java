package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A stream's events wait in a bounded queue: a client that stops reading stops the work soon, and none fills the memory. */
class EventStreamRelayTest {
    @Test
    void aStreamWhoseClientStopsReadingStopsItsWorkOnceItStalls() throws Exception {
        EventStream.Relay relay = new EventStream.Relay(() -> true);
        relay.attach(new FullConnection(), new CompletableFuture<>());
        for (int i = 0; i < EventStream.Relay.STALLED_QUEUED; i++) {
            assertTrue(relay.send("{\"token\": " + i + "}", i + 1), "event " + i);
        }
        assertTrue(relay.open(), "no write has waited a second yet");
        Thread.sleep(EventStream.Relay.STALLED_MS + 100);
        // the work may only ask (it holds a token back, half of a character): asking is enough to cut the text
        assertFalse(relay.open(), "a full queue and no write for a second: the client is not reading");
        assertEquals(EventStream.Relay.STALLED_QUEUED, relay.tokensCharged(), "cut: what was written for it, none of it sent");
        assertFalse(relay.send("{\"token\": \"one too many\"}", EventStream.Relay.STALLED_QUEUED + 1));
    }

    @Test
    void aStreamsQueueIsBoundedEvenWhileItsClientReads() {
        EventStream.Relay relay = new EventStream.Relay(() -> true);
        relay.attach(new FullConnection(), new CompletableFuture<>());
        for (int i = 0; i < EventStream.Relay.MOST_QUEUED; i++) {
            assertTrue(relay.send("{\"token\": " + i + "}", i + 1), "event " + i);
        }
        assertFalse(relay.send("{\"token\": \"one too many\"}", EventStream.Relay.MOST_QUEUED + 1));
    }

    /** The output of a connection whose buffers are full: it never takes a write. */
    private static final class FullConnection extends ServletOutputStream {
        @Override
        public boolean isReady() {
            return false;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}

        @Override
        public void write(int b) {
            throw new IllegalStateException("not ready");
        }
    }
}
