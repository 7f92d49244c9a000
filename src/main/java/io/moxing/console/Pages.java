package io.moxing.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.moxing.billing.Actor;
import io.moxing.billing.Secrets;
import io.moxing.console.view.Frame;
import io.moxing.console.view.Frame.Flash;
import io.moxing.core.UserException;
import java.util.function.Supplier;

/** What every page handler does with its request: the session, the page's frame, rendering, and post/redirect/get. */
final class Pages {
    private final SessionStore sessions;
    private final Views views;

    Pages(SessionStore sessions, Views views) {
        this.sessions = sessions;
        this.views = views;
    }

    /** The session the {@link Guard} let through. */
    static Session session(Context ctx) {
        return ctx.attribute(Guard.SESSION);
    }

    /** The tenant of a tenant's session. */
    static String tenant(Context ctx) {
        return session(ctx).tenantId();
    }

    /** Who acts, as the audit log records it: the admin token's id, or the tenant and the key it signed in with. */
    static Actor actor(Context ctx) {
        return actorOf(session(ctx), ctx.ip());
    }

    static Actor actorOf(Session s, String address) {
        String name = s.role() == Role.OPERATOR ? "admin:" + s.credentialId()
                : "tenant:" + s.tenantId() + " (" + Secrets.KEY_PREFIX + s.credentialId() + ")";
        return new Actor(name, "console " + address);
    }

    Frame frame(Context ctx, String title) {
        Session s = session(ctx);
        return new Frame(title, s.who(), Nav.of(s.role(), ctx.path()), s.csrf(), sessions.takeFlash(s));
    }

    void render(Context ctx, String template, Object page) {
        views.render(ctx, template, page);
    }

    /**
     * Runs a form's action and goes back to {@code href} with its outcome as a one-time message: the text the action
     * returns, or the mistake it was refused for (the domain's message, which names the field and the fix).
     */
    void act(Context ctx, String href, Supplier<String> action) {
        Flash outcome;
        try {
            outcome = Flash.ok(action.get());
        } catch (UserException e) {
            outcome = Flash.error(e.getMessage());
        }
        sessions.flash(session(ctx), outcome);
        ctx.redirect(href, HttpStatus.SEE_OTHER);
    }
}
