package io.moxing.console;

import io.javalin.http.Context;

/**
 * The console's cookies, written by hand so that every attribute is what we say: scoped to /console, HttpOnly (no
 * script reads them), SameSite=Strict (no other site's page sends them), Secure when the request came over TLS.
 */
final class Cookies {
    /** The session's id. */
    static final String SESSION = "mx_console";
    /** The sign-in form's token, before there is a session. */
    static final String SIGN_IN = "mx_console_signin";

    private Cookies() {}

    static void set(Context ctx, String name, String value, long maxAgeSeconds) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/console; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (ctx.req().isSecure() ? "; Secure" : ""));
    }

    static void clear(Context ctx, String name) {
        set(ctx, name, "", 0);
    }
}
