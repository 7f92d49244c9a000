package io.moxing.console.view;

import java.util.List;

/**
 * What every console page shares, drawn by the layout template: the title, who is signed in, the navigation, the
 * session's CSRF token (carried by every form that changes something) and a one-time message from the last action.
 *
 * @param who   the signed-in operator or tenant as shown in the header; null on pages seen signed out
 * @param csrf  the session's CSRF token; null when signed out
 * @param flash the message of the action that led here, or null
 */
public record Frame(String title, String who, List<NavItem> nav, String csrf, Flash flash) {
    public Frame {
        nav = List.copyOf(nav);
    }

    /** The same frame showing {@code message} instead. */
    public Frame withFlash(Flash message) {
        return new Frame(title, who, nav, csrf, message);
    }

    /** A page seen signed out (sign-in, errors): no navigation, no token. */
    public static Frame signedOut(String title, Flash flash) {
        return new Frame(title, null, List.of(), null, flash);
    }

    /**
     * One entry of the navigation.
     *
     * @param ready false for a section that is planned but not built yet (its page says so)
     */
    public record NavItem(String label, String href, boolean current, boolean ready) {}

    /** A one-time message: {@code ok} or {@code error}. */
    public record Flash(String kind, String text) {
        public static Flash ok(String text) {
            return new Flash("ok", text);
        }

        public static Flash error(String text) {
            return new Flash("error", text);
        }
    }
}
