package io.moxing.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;

/**
 * The hot routes served without Javalin's per-request machinery: POST v1 predict and explain, v2 infer (of a version or
 * not), and the v2 health probes. Javalin makes a context, runs a list of tasks, matches each before-handler's and
 * each route's regex and wraps a future's answer for every request: a health check cost 52–63 µs of server CPU through
 * it against 31–39 µs answered by a servlet filter, rounds alternating on one server (docs/DECISIONS.md). A request
 * taken here is asked what Javalin's before-handler asks ({@link ModelServer#firstChecks}), served by the same
 * {@link InferenceRoutes} methods as Javalin's routes, refused in the same JSON shape and counted in the same metric.
 * <p>
 * Only a path in its plain form is taken: a name of letters, digits, '.', '_', '-' and '~' that starts with a letter
 * or a digit, no trailing slash, no escapes, and the method the route is for. Everything else (HEAD, OPTIONS, a wrong
 * method's 405, a trailing slash, an escaped name, a method overridden by header) goes on to Javalin's routes, which
 * answer it as before.
 */
final class DirectFront implements Filter {
    /** Counts an answer once it is sent: the call, the deployment its path named (or null), the time it took. */
    interface Counter {
        void count(HttpCall call, String pathName, long nanos);
    }

    private final InferenceRoutes routes;
    private final BooleanSupplier draining;
    private final Counter counter;

    DirectFront(InferenceRoutes routes, BooleanSupplier draining, Counter counter) {
        this.routes = routes;
        this.draining = draining;
        this.counter = counter;
    }

    /** Puts the front before Javalin's servlet; it answers asynchronously, as Javalin's futures do. */
    void install(ServletContextHandler handler) {
        FilterHolder holder = new FilterHolder(this);
        holder.setName("moxing-direct-front");
        holder.setAsyncSupported(true);
        handler.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        // Javalin routes a request by the method this header names: such a request is its to route
        Route route = req.getHeader(HttpCall.METHOD_OVERRIDE) != null ? null : Route.of(req.getMethod(), req.getRequestURI());
        if (route == null) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        HttpCall call = new HttpCall(req, (HttpServletResponse) response);
        // refused before routing, as by Javalin's before-handler: counted under no model, as Javalin counts it
        String named = null;
        try {
            ModelServer.firstChecks(call, draining.getAsBoolean());
            ModelServer.refuseEncodedBodies(call);
            named = route.name();
            switch (route.kind()) {
                case LIVE -> routes.live(call);
                case READY -> routes.ready(call);
                case PREDICT -> routes.predict(call, route.name(), work -> later(call, route, start, work));
                case EXPLAIN -> routes.explain(call, route.name(), work -> later(call, route, start, work));
                case INFER -> routes.infer(call, route.name(), route.version(), work -> later(call, route, start, work));
            }
        } catch (RuntimeException e) {
            // refused before the work was handed on (no key, an unknown model, over the rate): the request has no async part
            ModelServer.error(call, ModelServer.refusal(e, call.path()));
        }
        if (!req.isAsyncStarted()) counter.count(call, named, System.nanoTime() - start);
    }

    /**
     * Runs {@code work} off this thread: the response completes when its answer has been written (by the pipeline, which
     * answers every failure of the work itself; a failure of that answer is a logged 500, as Javalin's would be). No
     * timeout, as Javalin sets none: the body reader and the batcher bound the wait.
     */
    private void later(HttpCall call, Route route, long start, Supplier<? extends CompletableFuture<?>> work) {
        AsyncContext async = call.req().startAsync();
        async.setTimeout(0);
        CompletableFuture<?> answered;
        try {
            answered = work.get();
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        answered.whenComplete((done, failure) -> {
            try {
                if (failure != null && !call.res().isCommitted()) {
                    ModelServer.error(call, ModelServer.refusal(InferenceCore.unwrap(failure), call.path()));
                }
            } finally {
                try {
                    counter.count(call, route.name(), System.nanoTime() - start);
                } finally {
                    async.complete(); // a request never completed would hang: it has no timeout
                }
            }
        });
    }

    enum Kind { LIVE, READY, PREDICT, EXPLAIN, INFER }

    /** A route this front takes, with the deployment and version its path names (null where it names none). */
    record Route(Kind kind, String name, String version) {
        private static final String V1 = "/v1/models/";
        private static final String V2 = "/v2/models/";
        private static final String VERSIONS = "/versions/";
        private static final String INFER = "/infer";
        private static final Route LIVE = new Route(Kind.LIVE, null, null);
        private static final Route READY = new Route(Kind.READY, null, null);

        /** The route of a request in its plain form, or null for one left to Javalin. */
        static Route of(String method, String path) {
            if (method.equals("GET")) return path.equals("/v2/health/live") ? LIVE : path.equals("/v2/health/ready") ? READY : null;
            if (!method.equals("POST")) return null;
            boolean v1 = path.startsWith(V1);
            if (!v1 && !path.startsWith(V2)) return null;
            int from = (v1 ? V1 : V2).length();
            int slash = path.indexOf('/', from);
            String name = slash < 0 ? null : plain(path, from, slash);
            if (name == null) return null;
            String rest = path.substring(slash);
            if (v1) {
                if (rest.equals("/predict")) return new Route(Kind.PREDICT, name, null);
                return rest.equals("/explain") ? new Route(Kind.EXPLAIN, name, null) : null;
            }
            if (rest.equals(INFER)) return new Route(Kind.INFER, name, null);
            if (!rest.startsWith(VERSIONS) || !rest.endsWith(INFER)) return null;
            String version = plain(rest, VERSIONS.length(), rest.length() - INFER.length());
            return version == null ? null : new Route(Kind.INFER, name, version);
        }

        /** {@code path[from, to)} when it is a plain name (nothing to decode, not "." or ".."), else null. */
        private static String plain(String path, int from, int to) {
            if (from >= to || !alphanumeric(path.charAt(from))) return null;
            for (int i = from + 1; i < to; i++) {
                char c = path.charAt(i);
                if (!alphanumeric(c) && c != '.' && c != '_' && c != '-' && c != '~') return null;
            }
            return path.substring(from, to);
        }

        private static boolean alphanumeric(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
    }
}
