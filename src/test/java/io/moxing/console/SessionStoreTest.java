package io.moxing.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.console.view.Frame.Flash;
import org.junit.jupiter.api.Test;

/** Sessions expire, end and carry a message once; failed sign-ins throttle an address for a minute. */
class SessionStoreTest {
    @Test
    void aSessionLivesUntilItsExpiryOrItsEnd() {
        SessionStore store = new SessionStore();
        Session s = store.open(Role.TENANT, "acme", "k1", "Acme", 0);
        assertNotEquals(s.id(), s.csrf(), "two independent secrets");
        assertTrue(store.find(s.id(), SessionStore.LIFETIME.toMillis() - 1).isPresent());
        assertFalse(store.find(s.id(), SessionStore.LIFETIME.toMillis()).isPresent(), "expired");
        Session t = store.open(Role.OPERATOR, null, "a1", "Operator", 0);
        store.end(t);
        assertFalse(store.find(t.id(), 1).isPresent(), "ended");
        assertFalse(store.find(t.csrf(), 1).isPresent(), "the CSRF token is not a session id");
    }

    @Test
    void aMessageIsShownOnce() {
        SessionStore store = new SessionStore();
        Session s = store.open(Role.TENANT, "acme", "k1", "Acme", 0);
        store.flash(s, Flash.ok("done"));
        assertEquals("done", store.takeFlash(s).text());
        assertNull(store.takeFlash(s));
    }

    @Test
    void fiveFailuresInAMinuteThrottleTheAddressUntilTheOldestIsAMinuteOld() {
        SignInThrottle throttle = new SignInThrottle();
        for (int i = 0; i < SignInThrottle.FAILURES; i++) {
            assertEquals(0, throttle.waitSeconds("10.0.0.1", i * 1000L));
            throttle.failed("10.0.0.1", i * 1000L);
        }
        assertEquals(55, throttle.waitSeconds("10.0.0.1", 5_000), "until the first failure is a minute old");
        assertEquals(0, throttle.waitSeconds("10.0.0.2", 5_000), "another address is not affected");
        assertEquals(0, throttle.waitSeconds("10.0.0.1", 60_000));
    }

    @Test
    void oneCredentialHoldsAtMostTenSessionsTheOldestEndingFirst() {
        SessionStore store = new SessionStore();
        java.util.List<Session> opened = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) opened.add(store.open(Role.TENANT, "t1", "key-1", "shop", 1_000L + i));
        Session other = store.open(Role.TENANT, "t2", "key-2", "other", 2_000L);
        for (int i = 0; i < 25; i++) {
            assertEquals(i >= 15, store.find(opened.get(i).id(), 3_000L).isPresent(), "session " + i);
        }
        assertTrue(store.find(other.id(), 3_000L).isPresent(), "another credential's session is not touched");
    }
}
