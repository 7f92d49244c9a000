package io.moxing.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One HTTP request and its response as the inference pipeline reads and answers them: the servlet's own objects, so
 * that a request is served the same way whether Javalin routed it or {@link DirectFront} took it first. The accessors
 * read as Javalin's {@link Context} reads the same things.
 */
record HttpCall(HttpServletRequest req, HttpServletResponse res) {
    /** The header by which Javalin lets a client name another method than the request line's. */
    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    /** How the route's server runs an answer that comes later: Javalin's {@code ctx.future}, or the front's async context. */
    @FunctionalInterface
    interface Later {
        void answer(Supplier<? extends CompletableFuture<?>> work);
    }

    static HttpCall of(Context ctx) {
        return new HttpCall(ctx.req(), ctx.res());
    }

    String header(String name) {
        return req.getHeader(name);
    }

    void header(String name, String value) {
        res.setHeader(name, value);
    }

    String contentType() {
        return req.getContentType();
    }

    /** The method as Javalin names it: {@value #METHOD_OVERRIDE} when sent, upper case, INVALID for one it does not know. */
    String method() {
        String override = req.getHeader(METHOD_OVERRIDE);
        return io.javalin.http.HandlerType.Companion.findByName(override != null ? override : req.getMethod()).name();
    }

    /** The path as sent (not decoded), as Javalin's {@code ctx.path()} gives it. */
    String path() {
        return req.getRequestURI();
    }

    /**
     * The first value of a query parameter, decoded as UTF-8, or null. The servlet's {@code getParameter} would read a
     * form's body. Javalin decoded with the body's charset, and dropped every parameter when that charset was unknown
     * (a canary asked for with {@code ?alias=} was then answered by production); a URL's escapes are UTF-8 whatever the
     * body is.
     */
    String queryParam(String key) {
        String query = req.getQueryString();
        if (query == null || query.isEmpty()) return null;
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(name).equals(key)) return eq < 0 ? "" : decode(pair.substring(eq + 1));
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // as Javalin leaves it; a '%' without its two digits is refused before any route runs
        }
    }

    void attribute(String name, Object value) {
        req.setAttribute(name, value);
    }

    void status(int status) {
        res.setStatus(status);
    }

    /** The answer's media type, as Javalin sets it (the servlet adds no charset to it). */
    void answerType(String contentType) {
        res.setContentType(contentType);
    }
}
