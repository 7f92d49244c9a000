package io.moxing.http;

import io.moxing.core.Echo;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.moxing.billing.BillingAdmin;
import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.feedback.FeedbackBook;
import io.moxing.feedback.FeedbackSeal;
import io.moxing.feedback.FeedbackStore;
import io.moxing.feedback.PredictionLog;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.deploy.Rollback;
import io.moxing.grpc.GrpcServer;
import io.moxing.jobs.JobQueue;
import io.moxing.registry.ModelRegistry;
import io.moxing.serve.LiveDeployments;
import io.moxing.serve.ServerMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: registered models deployed under public names, answered through Moxing's v1 API and
 * the Open Inference Protocol v2, with dynamic batching, back-pressure, metrics and graceful shutdown.
 * Deployments live in the state database and are re-read every {@code pollMs}, so {@code moxing deploy}
 * (or another node) changes what this server answers without a restart; a target's model is loaded
 * before it takes traffic. With a gRPC port, the Open Inference Protocol's gRPC half ({@link GrpcServer})
 * answers beside HTTP through {@link GrpcBackend}: the same admission, batchers, metering and metrics.
 */
public final class ModelServer implements AutoCloseable {
    private final Deployments deployments;
    private final ModelRegistry registry;
    private final ServeOptions options;
    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The metric label of requests that name no deployment served here. */
    static final String UNROUTED = "-";
    /** Marks a request whose client left before its answer could be written ({@link #send}). */
    private static final String CLIENT_GONE = "moxing.client-gone";
    /**
     * How such a request is counted in {@code moxing_requests_total}: nginx's "client closed request", not the 200 that
     * the response was set to before the write failed.
     */
    static final int CLIENT_GONE_STATUS = 499;
    /** The GET routes open to anyone, whose HEAD (a load balancer's probe) is answered as Javalin answers it. */
    private static final java.util.Set<String> OPEN_TO_HEAD = java.util.Set.of("/v2", "/v2/health/live", "/v2/health/ready",
            "/openapi.json");
    /** The request attribute naming the deployment a request was routed to when its body named it. */
    static final String MODEL_ATTRIBUTE = "moxing.model";
    private final EventStream streams = new EventStream();
    private final BodyReader bodies;
    private final LiveDeployments live;
    /** Authentication, limits and metering; null when the server runs open (benchmarks, local trials). */
    private final BillingGate gate;
    private volatile boolean draining;
    private Javalin app;
    /** The background jobs' admin routes; null when the server offers none. */
    private final JobQueue jobs;
    /** Null unless options.grpcPort() asks for it. */
    private GrpcServer grpc;
    /** The prediction log and feedback; null when the server keeps none (open, or started without a feedback store). */
    private final PredictionLog log;
    private final FeedbackBook feedbackBook;
    /** Routes of other edge adapters (the console), registered at start. */
    private final java.util.List<RouteExtension> extensions = new java.util.ArrayList<>();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prediction-log");
        t.setDaemon(true);
        return t;
    });

    /** An open server: no API keys, no limits, no metering. */
    public ModelServer(MoxingHome home, Deployments deployments, ServeOptions options) {
        this(home, deployments, options, null);
    }

    /** A server whose every inference call is authenticated, limited and metered through {@code billing}. */
    public ModelServer(MoxingHome home, Deployments deployments, ServeOptions options, BillingAdmin billing) {
        this(home, deployments, options, billing, null, null);
    }

    /**
     * A metered server that also keeps prediction logs (for the deployments that ask) and takes feedback,
     * stored in {@code feedback} and sealed with the data key of {@code home} (null: neither), and offers the
     * admin routes of background jobs (/admin/jobs) when {@code jobs} is not null.
     */
    public ModelServer(MoxingHome home, Deployments deployments, ServeOptions options, BillingAdmin billing,
                       FeedbackStore feedback, JobQueue jobs) {
        this.jobs = jobs;
        this.deployments = deployments;
        this.registry = new ModelRegistry(home.models());
        this.options = options;
        this.live = new LiveDeployments(deployments, registry, new io.moxing.data.DatasetStore(home.datasets()),
                options.queueCapacity(), metrics);
        this.gate = billing == null ? null : new BillingGate(billing, options.pollMs());
        this.bodies = new BodyReader(options);
        if (feedback != null && gate != null) {
            FeedbackSeal seal = FeedbackSeal.of(home);
            this.log = new PredictionLog(feedback, seal);
            this.feedbackBook = new FeedbackBook(feedback, seal, ref -> registry.card(ref).classes());
        } else {
            this.log = null;
            this.feedbackBook = null;
        }
    }

    /** Adds routes served beside the API (the web console); only before {@link #start()}. */
    public synchronized ModelServer extend(RouteExtension routes) {
        if (app != null) throw new IllegalStateException("routes are added before the server starts");
        extensions.add(routes);
        return this;
    }

    public ModelServer start() {
        live.reconcile();
        JsonErrorHandler jettyErrors = new JsonErrorHandler(status -> metrics.request(UNROUTED, status, 0));
        InferenceCore core = new InferenceCore(live, gate, options, log);
        ServingPipeline pipeline = new ServingPipeline(core, bodies, DecodeBudget.of(options), inFlight, streams, gate);
        InferenceRoutes inference = new InferenceRoutes(live, core, pipeline, options, () -> draining);
        DirectFront front = new DirectFront(inference, () -> draining, this::count);
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.threadPool = requestThreads();
            config.http.maxRequestSize = options.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.http.customCompression(Compression.strategy());
            config.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
            config.jetty.modifyServletContextHandler(handler -> {
                handler.setErrorHandler(jettyErrors);
                front.install(handler);
            });
            // every answer is counted once it is sent, refusals and failures included
            config.requestLogger.http((ctx, ms) -> count(HttpCall.of(ctx), ctx.pathParamMap().get("name"), (long) (ms * 1e6)));
        });
        new Routes().register(app);
        inference.register(app);
        new OpenAiRoutes(live, core, pipeline, gate).register(app);
        new EmbeddingRoutes(pipeline).register(app);
        if (gate != null) new BillingRoutes(gate, options.maxBodyBytes()).register(app);
        if (feedbackBook != null) new FeedbackRoutes(gate, feedbackBook).register(app);
        if (jobs != null) new JobRoutes(jobs, gate, options.maxBodyBytes()).register(app);
        extensions.forEach(e -> e.register(app));
        app.start(options.host(), options.port());
        if (options.grpcPort() >= 0) {
            try {
                grpc = GrpcServer.start(options.host(), options.grpcPort(), (int) Math.min(Integer.MAX_VALUE, options.maxBodyBytes()),
                        new GrpcBackend(live, core, metrics, inFlight, () -> draining));
            } catch (RuntimeException e) {
                app.stop(); // a server that cannot open both ports leaves neither open
                throw e;
            }
        }
        live.poll(options.pollMs());
        if (log != null) {
            housekeeping.scheduleWithFixedDelay(() -> quietly("reading prediction-log settings", log::refresh),
                    options.pollMs(), options.pollMs(), TimeUnit.MILLISECONDS);
            housekeeping.scheduleWithFixedDelay(() -> quietly("purging expired prediction logs", this::purgeExpiredLogs),
                    0, 1, TimeUnit.HOURS);
        }
        return this;
    }

    /**
     * Jetty's threads as Javalin makes them (8 to 250, idle after a minute), except that idle ones leave up to 32 a
     * minute rather than one: a hostile flood of 300 streams grew the pool by 70 threads, which one a minute would
     * have taken more than an hour to give back.
     */
    private static QueuedThreadPool requestThreads() {
        var pool = new QueuedThreadPool(250, 8, 60_000);
        pool.setName("JettyServerThreadPool");
        pool.setMaxEvictCount(32);
        return pool;
    }

    /**
     * Counts an answer sent in {@code moxing_requests_total}, under its model's label: a deployment served here, or
     * {@value #UNROUTED} (a name an attacker makes up must not become a new time series). {@code pathName} is the
     * deployment its path named, if any; else the one its body named.
     */
    private void count(HttpCall call, String pathName, long nanos) {
        String name = pathName != null ? pathName : (String) call.req().getAttribute(MODEL_ATTRIBUTE);
        String label = name != null && live.names().contains(name) ? name : UNROUTED;
        metrics.request(label, call.req().getAttribute(CLIENT_GONE) != null ? CLIENT_GONE_STATUS : call.res().getStatus(), nanos);
    }

    /** Deletes expired prediction-log entries now (the server also does it every hour); returns how many. */
    public int purgeExpiredLogs() {
        if (log == null) return 0;
        int purged = log.purgeExpired();
        if (purged > 0) System.err.println("prediction log: " + purged + " expired request" + (purged == 1 ? "" : "s") + " purged");
        return purged;
    }

    private static void quietly(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            System.err.println(what + " failed (retried): " + e.getMessage());
        }
    }

    public int port() {
        return app.port();
    }

    /**
     * Where a process on this machine reaches the HTTP server, e.g. http://127.0.0.1:8080: its host, or loopback when it
     * listens on every interface.
     */
    public String localUrl() {
        String host = options.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "127.0.0.1";
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return "http://" + host + ":" + port();
    }

    /** The port of the gRPC endpoint, or -1 when it is off. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** The background jobs this server offers (/admin/jobs), or empty when it was started without them. */
    public java.util.Optional<JobQueue> jobs() {
        return java.util.Optional.ofNullable(jobs);
    }

    /** The feedback this server takes and keeps, or empty when it keeps none (open, or no feedback store). */
    public java.util.Optional<FeedbackBook> feedback() {
        return java.util.Optional.ofNullable(feedbackBook);
    }

    /** Brings the served targets, keys and plans in step with the database now (pollers do it every pollMs). */
    public void reconcile() {
        live.reconcile();
        if (gate != null) gate.admission().refresh();
        if (log != null) log.refresh();
    }

    /**
     * Stops accepting requests (new ones get 503), waits up to {@code timeout} for those in flight, then
     * stops the HTTP server and unloads the models.
     */
    public void drainAndStop(Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (app != null) app.stop();
        // before the meter closes and the models unload: calls in flight still need both
        if (grpc != null) grpc.close();
        housekeeping.shutdownNow();
        if (gate != null) gate.close();
        bodies.close();
        live.close();
    }

    /**
     * Refuses a path or query with a {@code %} that two hex digits do not follow. Jetty passes some such paths on ({@code
     * %u2028}, its old UTF-16 form), and Javalin's decoding of a path parameter then threw: a 500 and a log line per
     * request, before any key was asked for.
     */
    private static void checkEscapes(String part, String raw) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                    || Character.digit(raw.charAt(i + 2), 16) < 0) {
                throw new ApiError(400, "invalid_" + part, "the " + part + " has a '%' at character " + (i + 1)
                        + " that two hex digits do not follow; write a '%' itself as %25");
            }
        }
    }

    /**
     * The server's own routes (deployments, metrics, this API's description) and the error mapping shared by
     * every route: each answers JSON, and every refusal is {"error": {"message", "type", "param", "code"}}.
     */
    private final class Routes {
        void register(Javalin app) {
            app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.document()));
            app.get("/admin/deployments", ctx -> json(ctx, 200, Map.of("deployments", deployments.list())));
            app.post("/admin/deployments", this::deploy);
            app.delete("/admin/deployments/{name}", this::undeploy);
            app.post("/admin/deployments/{name}/rollback", this::rollback);
            app.get("/admin/deployments/{name}/history", ctx -> json(ctx, 200, Map.of("history",
                    deployments.history(ctx.pathParam("name"), alias(ctx)))));
            app.before(ctx -> {
                HttpCall call = HttpCall.of(ctx);
                firstChecks(call, draining);
                // Javalin answers HEAD with 200 for any GET route without running it, so without its key check or its
                // look-up (HEAD /v1/usage, HEAD /v2/models/nothing): only routes open to anyone keep that answer
                // (a path without a GET route is left to the router: 404 or 405, as GET there would be answered)
                if (ctx.method() == io.javalin.http.HandlerType.HEAD && !OPEN_TO_HEAD.contains(withoutTrailingSlash(ctx.path()))
                        && !ctx.path().startsWith("/console")
                        && app.unsafeConfig().pvt.internalRouter.hasHttpHandlerEntry(io.javalin.http.HandlerType.GET, ctx.path())) {
                    ctx.header("Allow", "GET");
                    throw new ApiError(405, "method_not_allowed", "HEAD is not served on " + ctx.path() + "; send GET");
                }
                refuseEncodedBodies(call);
            });
            if (gate != null) {
                app.before("/admin/*", ctx -> ctx.attribute("actor", gate.admin(ctx)));
                app.before("/metrics", gate::admin);
            }
            app.exception(ApiError.class, (e, ctx) -> error(ctx, e));
            app.exception(UserException.class, (e, ctx) -> error(ctx, refusal(e, ctx.path())));
            app.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus();
                switch (status) {
                    case 413 -> error(ctx, 413, "body_too_large", "the body is over the limit of " + options.maxBodyBytes()
                            + " bytes");
                    case 404 -> error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path()
                            + "; see GET /openapi.json");
                    case 405 -> {
                        String allowed = e.getDetails().getOrDefault("availableMethods",
                                e.getDetails().getOrDefault("Available methods", ""));
                        ctx.header("Allow", allowed);
                        error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path() + "; allowed: "
                                + allowed);
                    }
                    default -> error(ctx, status, "http_" + status, e.getMessage());
                }
            });
            app.exception(Exception.class, (e, ctx) -> error(ctx, refusal(e, ctx.path())));
        }

        private void deploy(Context ctx) {
            JsonNode body = RequestDecoder.json(BodyReader.readBlocking(ctx.req(), options.maxBodyBytes()));
            DeploymentTarget target = DeploymentRequests.target(body, registry);
            deployments.put(target);
            audit(ctx, "deployment.put", target.deployment() + "/" + target.alias(), target.modelRef() + " weight=" + target.weight());
            reconcile();
            json(ctx, 201, target);
        }

        private void undeploy(Context ctx) {
            int removed = deployments.remove(ctx.pathParam("name"), ctx.queryParam("alias"));
            if (removed == 0) {
                throw new ApiError(404, "unknown_deployment", "no deployment '" + ctx.pathParam("name") + "'"
                        + (ctx.queryParam("alias") == null ? "" : " with alias '" + ctx.queryParam("alias") + "'"));
            }
            audit(ctx, "deployment.remove", ctx.pathParam("name"), ctx.queryParam("alias") == null ? "all aliases"
                    : "alias=" + ctx.queryParam("alias"));
            reconcile();
            json(ctx, 200, Map.of("removed", removed));
        }

        /** Puts an alias (?alias=, production by default) back on the version it served before: 409 when there is none. */
        private void rollback(Context ctx) {
            Rollback.Result r = new Rollback(deployments, registry).run(ctx.pathParam("name"), alias(ctx));
            audit(ctx, "deployment.rollback", r.to().deployment() + "/" + r.to().alias(), r.from().modelRef() + " -> "
                    + r.to().modelRef());
            // the restored version is loaded before it takes traffic; requests holding the replaced one finish on it
            reconcile();
            json(ctx, 200, Map.of("name", r.to().deployment(), "alias", r.to().alias(), "from", r.from().modelRef(),
                    "to", r.to().modelRef(), "target", r.to()));
        }

        private static String alias(Context ctx) {
            String alias = ctx.queryParam("alias");
            return alias == null ? "production" : alias;
        }

        private void audit(Context ctx, String action, String target, String detail) {
            if (gate != null) gate.billing().audit().append(ctx.attribute("actor"), action, target, detail);
        }

    }

    /**
     * What every request is asked first, on either front: 503 while the server drains; 400 for a path or query whose
     * escapes cannot be read. {@link #refuseEncodedBodies} follows (after Javalin's HEAD check, on its routes).
     */
    static void firstChecks(HttpCall call, boolean draining) {
        if (draining) throw new ApiError(503, "shutting_down", "the server is shutting down; retry on another node");
        checkEscapes("path", call.req().getRequestURI());
        if (call.req().getQueryString() != null) checkEscapes("query", call.req().getQueryString());
    }

    /**
     * The refusal a failure of a route is answered with: its own, a user mistake's (404 for a name that does not exist,
     * 409 for one taken, else 400), or a 500 that is logged once.
     */
    static ApiError refusal(Throwable failure, String path) {
        if (failure instanceof ApiError e) return e;
        if (failure instanceof UserException e) return new ApiError(statusOf(e), e.code(), e.getMessage());
        System.err.println("internal error on " + path + ": " + failure);
        return new ApiError(500, "internal", "the server failed on this request; it has been logged");
    }

    /**
     * Refuses a body sent compressed, which would be read as if it were not: every Content-Encoding header, and every
     * coding listed in one ("identity, gzip" is gzip), must be identity.
     */
    static void refuseEncodedBodies(HttpCall call) {
        if (call.header("Content-Encoding") == null) return;
        for (String encoding : java.util.Collections.list(call.req().getHeaders("Content-Encoding"))) {
            for (String coding : encoding.split(",")) {
                if (!coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
                    throw new ApiError(415, "unsupported_content_encoding", "bodies are read as sent; Content-Encoding '"
                            + Echo.of(encoding.strip()) + "' is not accepted: send the body uncompressed");
                }
            }
        }
    }

    /** The path as the router matches it: "/v2/health/live/" is "/v2/health/live". */
    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A user mistake's status: 404 for a name that does not exist, 409 for one taken, else 400. */
    static int statusOf(UserException e) {
        if (e.code().startsWith("unknown_")) return 404;
        if (e.code().endsWith("_exists") || e.code().equals("period_invoiced") || e.code().equals("period_open")
                || e.code().equals("nothing_to_roll_back") || e.code().equals("job_finished")) return 409;
        return 400;
    }

    /**
     * Sends {@code body}, an inference answer whose content type is set, written straight to the response with its
     * length: Javalin would copy it through a fresh 4 KB buffer and its compressing stream (about 4 µs of the serving
     * thread per answer in the v2 binary profile, docs/DECISIONS.md), and a write that failed inside Javalin was
     * neither an error to us nor counted in the metrics. An answer of {@link Compression#MIN_SIZE} bytes or more in a
     * type worth compressing goes gzipped to a client that accepts it, as Javalin would have sent it. A client gone
     * meanwhile is not an error; its request is counted as {@value #CLIENT_GONE_STATUS}.
     */
    static void send(HttpCall call, byte[] body) {
        byte[] sent = body;
        if (body.length >= Compression.MIN_SIZE && Compression.worthCompressing(call.res().getContentType())
                && Compression.acceptsGzip(call.header("Accept-Encoding"))) {
            sent = Compression.gzip(body);
            call.header("Content-Encoding", "gzip");
            call.header("Vary", "Accept-Encoding");
        }
        call.res().setContentLength(sent.length);
        try {
            call.res().getOutputStream().write(sent);
        } catch (java.io.IOException e) {
            // the connection is gone: nothing left to answer, and the metrics should not say it was answered
            call.attribute(CLIENT_GONE, true);
        }
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.line(body));
    }

    /** Sends {@code body} as JSON with {@code status}, written by {@link #send} (Javalin's routes answer through theirs). */
    static void json(HttpCall call, int status, Object body) {
        json(call, status, Json.line(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sends JSON already written, with {@code status}. */
    static void json(HttpCall call, int status, byte[] json) {
        call.status(status);
        call.answerType("application/json");
        send(call, json);
    }

    static void error(Context ctx, int status, String code, String message) {
        json(ctx, status, ApiError.body(status, code, message, null));
    }

    /** A refusal as HTTP answers it: its status and error shape, Retry-After when waiting helps, the scheme on 401. */
    static void error(Context ctx, ApiError e) {
        refusalHeaders(e, ctx::header);
        json(ctx, e.status(), ApiError.body(e.status(), e.code(), e.getMessage(), e.param()));
    }

    /** The same, written at once: a route's later answer, or the direct front's. */
    static void error(HttpCall call, ApiError e) {
        refusalHeaders(e, call::header);
        json(call, e.status(), ApiError.body(e.status(), e.code(), e.getMessage(), e.param()));
    }

    private static void refusalHeaders(ApiError e, java.util.function.BiConsumer<String, String> header) {
        if (e.retryAfterSeconds() > 0) header.accept("Retry-After", Long.toString(e.retryAfterSeconds()));
        if (e.status() == 401) header.accept("WWW-Authenticate", "Bearer");
    }
}
