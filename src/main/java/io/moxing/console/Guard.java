package io.moxing.console;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;

/**
 * Runs before every console route: finds the session of the request's cookie, re-checks its credential, demands the
 * session's CSRF token on every POST, and keeps each role on its own pages (a tenant asking for an operator's page, or
 * the other way round, is told it does not exist). Signed-out browsers are sent to the sign-in form; the console's
 * scripts get a 401.
 */
final class Guard implements Handler {
    static final String SESSION = "console.session";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private final SessionStore sessions;
    private final Credentials credentials;

    Guard(SessionStore sessions, Credentials credentials) {
        this.sessions = sessions;
        this.credentials = credentials;
    }

    @Override
    public void handle(Context ctx) {
        String path = ctx.path();
        if (!path.equals("/console") && !path.startsWith("/console/")) return;
        Views.secure(ctx);
        // the sign-in form and its POST check their own token; assets are the same for everyone
        if (path.equals("/console") || path.equals(SignIn.PATH) || path.startsWith(Assets.PATH)) return;
        long now = System.currentTimeMillis();
        Session session = sessions.find(ctx.cookie(Cookies.SESSION), now).orElse(null);
        if (session != null && !credentials.live(session, now)) {
            sessions.end(session);
            session = null;
        }
        if (session == null) {
            if (ctx.method().name().equals("GET") && !Views.wantsJson(ctx)) {
                ctx.redirect("/console", HttpStatus.SEE_OTHER);
                ctx.skipRemainingHandlers();
                return;
            }
            throw new ConsoleError(401, "signed_out", "your console session has ended; sign in again at /console");
        }
        if (!ctx.method().name().equals("GET") && !SessionStore.same(session.csrf(), presentedToken(ctx))) {
            throw new ConsoleError(403, "csrf_token_invalid", "this form has no valid CSRF token (it may come from another"
                    + " site, or from before you signed in again); reload the page and send it again");
        }
        Role owner = Role.owning(path);
        if (owner != null && owner != session.role()) throw ConsoleError.notFound("page " + path);
        ctx.attribute(SESSION, session);
    }

    /** The token of a form (a hidden field) or of the console's scripts (a header); multipart bodies use the header. */
    private static String presentedToken(Context ctx) {
        String header = ctx.header(CSRF_HEADER);
        if (header != null) return header;
        String type = ctx.contentType();
        return type != null && type.startsWith("application/x-www-form-urlencoded") ? ctx.formParam(CSRF_FIELD) : null;
    }
}
