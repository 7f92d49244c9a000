package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.moxing.billing.Actor;
import io.moxing.billing.AuditLog;
import io.moxing.billing.Secrets;
import io.moxing.console.view.CommonViews.SignInPage;
import io.moxing.console.view.Frame;
import io.moxing.console.view.Frame.Flash;
import java.util.Optional;

/**
 * Signing in and out. The form takes one secret: the admin token opens the operator's console, an API key its
 * tenant's. A good one gets a new session (a new id: nothing chosen before sign-in survives it); a bad one is audited
 * and counted against the client's address ({@link SignInThrottle}). The form carries a token that must match a
 * cookie set with it, so another site cannot sign a browser in under its own key.
 */
final class SignIn {
    static final String PATH = "/console/sign-in";
    private final SessionStore sessions;
    private final Credentials credentials;
    private final SignInThrottle throttle = new SignInThrottle();
    private final AuditLog audit;
    private final Views views;

    SignIn(SessionStore sessions, Credentials credentials, AuditLog audit, Views views) {
        this.sessions = sessions;
        this.credentials = credentials;
        this.audit = audit;
        this.views = views;
    }

    void register(Javalin app) {
        app.get("/console", ctx -> {
            Optional<Session> s = sessions.find(ctx.cookie(Cookies.SESSION), System.currentTimeMillis())
                    .filter(x -> credentials.live(x, System.currentTimeMillis()));
            if (s.isPresent()) {
                ctx.redirect(s.get().role().home, HttpStatus.SEE_OTHER);
            } else {
                form(ctx, 200, null);
            }
        });
        app.post(PATH, this::signIn);
        app.post("/console/sign-out", ctx -> {
            sessions.end(Pages.session(ctx));
            Cookies.clear(ctx, Cookies.SESSION);
            form(ctx, 200, Flash.ok("Signed out."));
        });
    }

    private void signIn(Context ctx) {
        long now = System.currentTimeMillis();
        String address = ctx.ip();
        long wait = throttle.waitSeconds(address, now);
        if (wait > 0) {
            throw new ConsoleError(429, "too_many_sign_ins", "too many failed sign-ins from " + address + "; try again in "
                    + wait + " s", wait);
        }
        String expected = ctx.cookie(Cookies.SIGN_IN);
        if (!SessionStore.same(expected, ctx.formParam(Guard.CSRF_FIELD))) {
            throw new ConsoleError(403, "csrf_token_invalid", "this sign-in form is not the one this server gave your browser"
                    + " (or it is older than 10 minutes); open /console and sign in again");
        }
        Optional<Credentials.SignedIn> who;
        try {
            who = credentials.check(ctx.formParam("secret"), now);
        } catch (Credentials.LimitedKey limited) {
            // a real key, not a guess: audited, not throttled
            audit.append(new Actor("tenant " + limited.key.tenantId(), "console " + address), "console.sign_in_refused",
                    "tenant " + limited.key.tenantId(), "limited key " + Secrets.KEY_PREFIX + limited.key.id());
            form(ctx, 403, Flash.error(limited.getMessage()));
            return;
        }
        if (who.isEmpty()) {
            throttle.failed(address, now);
            audit.append(new Actor("anonymous", "console " + address), "console.sign_in_failed", "console",
                    "not a live admin token or API key");
            form(ctx, 401, Flash.error("That is not a live admin token or API key."));
            return;
        }
        Credentials.SignedIn in = who.get();
        // a session the browser still held ends: one browser, one session, and the new one gets a new id
        sessions.find(ctx.cookie(Cookies.SESSION), now).ifPresent(sessions::end);
        Session session = sessions.open(in.role(), in.tenantId(), in.credentialId(), in.who(), now);
        Cookies.clear(ctx, Cookies.SIGN_IN);
        Cookies.set(ctx, Cookies.SESSION, session.id(), SessionStore.LIFETIME.toSeconds());
        audit.append(Pages.actorOf(session, address), "console.sign_in", in.role() == Role.OPERATOR ? "console"
                : "tenant " + in.tenantId(), "session until " + java.time.Instant.ofEpochMilli(session.expiresAtMs()));
        ctx.redirect(in.role().home, HttpStatus.SEE_OTHER);
    }

    /** The sign-in form with a new form token, also set as a cookie that lives 10 minutes. */
    private void form(Context ctx, int status, Flash flash) {
        String token = SessionStore.token();
        Cookies.set(ctx, Cookies.SIGN_IN, token, 600);
        views.render(ctx, status, "signin.jte", new SignInPage(Frame.signedOut("Sign in", flash), token));
    }
}
