package io.moxing.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.moxing.console.view.CommonViews;
import io.moxing.console.view.Frame;
import io.moxing.core.Json;
import java.util.Map;

/**
 * Renders console pages from the templates jte-maven-plugin compiled at build time (nothing is parsed at run time),
 * with ContentType.Html: every {@code ${}} is escaped for where it stands. Every console answer also carries the
 * headers that keep it out of caches and frames and forbid scripts other than the console's own files.
 */
final class Views {
    /** Scripts and styles only from /console/assets; images also from data: URLs (the explanation's heat map). */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    void render(Context ctx, String template, Object page) {
        render(ctx, 200, template, page);
    }

    void render(Context ctx, int status, String template, Object page) {
        StringOutput out = new StringOutput();
        engine.render(template, page, out);
        ctx.status(status).html(out.toString());
    }

    /** The headers of every console answer, pages and assets alike. */
    static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    /** A refusal: JSON in Moxing's error shape to the console's scripts, else an error page. */
    void error(ConsoleError e, Context ctx) {
        secure(ctx);
        if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        if (wantsJson(ctx)) {
            ctx.status(e.status()).contentType("application/json")
                    .result(Json.line(Map.of("error", Map.of("code", e.code(), "message", e.getMessage()))));
            return;
        }
        render(ctx, e.status(), "error.jte", new CommonViews.ErrorPage(Frame.signedOut(title(e.status()), null), e.status(),
                e.code(), e.getMessage(), "/console"));
    }

    static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static String title(int status) {
        return switch (status) {
            case 401 -> "Signed out";
            case 403 -> "Refused";
            case 404 -> "Not found";
            case 429 -> "Too many attempts";
            default -> status >= 500 ? "Something failed" : "Not accepted";
        };
    }
}
