package io.moxing.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.AtomicFiles;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code moxing bench serve}: what HTTP serving costs beyond the model, measured so that the machine's
 * swings in speed cannot hide it. The server is a real {@code moxing serve} in its own process, loaded by
 * wrk from another process with 64 clients.
 * <ul>
 *   <li>Throughput against in-process batching: chunks of the two alternate in rounds, and the medians
 *       are compared (the machine drifts between two moments, not within one round).</li>
 *   <li>Cost per request format: the server process's CPU time per request, from its own CPU clock, split
 *       into the bare request (a health check, measured the same way), the model (its CPU per image in
 *       this process, at the mean batch size the server formed) and the rest, the overhead of decoding,
 *       batching, encoding, admission and metering, which a load generator sharing the cores cannot distort.
 *       A second server runs this part with the model on one intra-op thread, as this process does when it
 *       measures the model: on several, threads spin waiting for each other, and how long depends on who
 *       else uses the cores. In each of the rounds, every format's window follows a bare window of its own.</li>
 * </ul>
 */
public final class ServeBenchmark {
    public static final int CLIENTS = 64;
    private static final String DEPLOYMENT = "bench";
    private final MoxingHome home;
    private final PrintStream log;

    public ServeBenchmark(MoxingHome home, PrintStream log) {
        this.home = home;
        this.log = log;
    }

    /** One alternating round: an in-process chunk, then the same number of multipart requests over HTTP. */
    public record Round(@JsonProperty("in_process_per_second") double inProcessPerSecond,
                        @JsonProperty("http_per_second") double httpPerSecond, @JsonProperty("p50_ms") double p50Ms,
                        @JsonProperty("p99_ms") double p99Ms, int errors) {}

    /**
     * What one request format costs the server at 64 clients, in microseconds of one core; null where it was
     * not measured (then {@code note} says why).
     *
     * @param requests          timed answers over all rounds
     * @param cpuUs             the server's CPU per request, its JIT compilers' time left out, median of the rounds
     * @param meanBatch         the batch size the server formed, median of the rounds' means
     * @param modelUs           the model's CPU per request in the server, inside its batches' model calls (median of the
     *                          rounds); the in-bench figure where the server did not count it
     * @param modelUsInBench    the model's CPU per image at that batch size, measured in the bench process on an idle machine
     * @param overheadUs        the median over the rounds of (CPU per request - the model's part - the bare request's just
     *                          before)
     * @param overheadBareRequests the overhead in bare requests, median over the rounds of each round's overhead divided by
     *                          its bare request: the machine's speed moves both alike, so this is the steadier figure
     *                          where the machine swings (docs/BENCHMARKS.md); where the server did not count its
     *                          model, the overhead with the in-bench model over the median bare request
     * @param overheadUsBenchModel the same with the in-bench model figure instead (how it was measured until 2026-11-30)
     * @param bareUs            the median of the bare request this format's overhead is net of: its protocol's own (HTTP's
     *                          health check, or gRPC's ServerLive), measured the same way
     * @param bare              which bare request that is
     * @param errors            non-2xx answers and failures, counted in the bench's {@code errors}
     * @param unsupportedErrors a refusal (4xx) of a format this server does not take yet, counted apart
     */
    public record FormatCost(String format, String label, Long requests, @JsonProperty("cpu_us") Double cpuUs,
                             @JsonProperty("mean_batch") Double meanBatch, @JsonProperty("model_us") Double modelUs,
                             @JsonProperty("model_us_in_bench") Double modelUsInBench,
                             @JsonProperty("overhead_us") Double overheadUs,
                             @JsonProperty("overhead_bare_requests") Double overheadBareRequests,
                             @JsonProperty("overhead_us_bench_model") Double overheadUsBenchModel, @JsonProperty("requests_per_second") Double requestsPerSecond,
                             @JsonProperty("jit_share") Double jitShare, @JsonProperty("bare_us") Double bareUs, String bare,
                             int errors, int unsupportedErrors, String note) {}

    public record Result(String model, String client, @JsonProperty("max_batch") int maxBatch,
                         @JsonProperty("max_delay_ms") int maxDelayMs, int workers,
                         @JsonProperty("intra_op_threads") String intraOpThreads, List<Round> rounds,
                         @JsonProperty("in_process_per_second") double inProcessPerSecond,
                         @JsonProperty("http_per_second_64") double httpPerSecond64,
                         @JsonProperty("ratio_64") double ratio64, @JsonProperty("p99_p50_64") double p99P50at64,
                         @JsonProperty("requests_per_format") int requestsPerFormat, @JsonProperty("bare_us") double bareUs,
                         @JsonProperty("bare_us_grpc") Double bareUsGrpc,
                         @JsonProperty("model_us_per_image") Double modelUsPerImage, List<FormatCost> formats,
                         @JsonProperty("overhead_us_multipart") Double overheadUsMultipart,
                         @JsonProperty("overhead_us_multipart_rgb") Double overheadUsMultipartRgb,
                         @JsonProperty("overhead_us_json") Double overheadUsJson,
                         @JsonProperty("overhead_us_rows") Double overheadUsRows,
                         @JsonProperty("overhead_us_v2") Double overheadUsV2,
                         @JsonProperty("overhead_us_v2_binary") Double overheadUsV2Binary,
                         @JsonProperty("overhead_us_grpc") Double overheadUsGrpc,
                         int errors, @JsonProperty("unsupported_format_errors") int unsupportedFormatErrors,
                         @JsonProperty("open_p50_ms") double openP50Ms, @JsonProperty("auth_p50_ms") double authP50Ms,
                         @JsonProperty("auth_overhead_ms") double authOverheadMs) {}

    /**
     * @param only the formats whose CPU cost is measured, by key (multipart, multipart_rgb, json, rows, v2, v2_binary,
     *             grpc); empty: all of them. The throughput rounds always use multipart.
     */
    public Result run(String modelRef, int requests, int rounds, int maxBatch, int maxDelayMs, Integer workers,
                      java.util.Set<String> only) throws IOException, InterruptedException {
        ModelRegistry registry = new ModelRegistry(home.models());
        ModelVersion card = registry.card(modelRef);
        if (!"image".equals(card.dataKind())) {
            throw new UserException("invalid_option", card.ref() + " is not an image model; bench serve sends images");
        }
        MoxingHome benchHome = ServerProcess.scratchHome(home, "moxing-bench-serve");
        byte[] png = ImageRequests.png(home, card);
        float[] sample = InputDecoder.image(png, card, "bench image");
        List<RequestFormat> all = ImageRequests.formats(DEPLOYMENT, png, ImageRequests.colourPng(png), sample, card.inputShape());
        HttpFormat multipart = (HttpFormat) all.get(0);
        List<RequestFormat> formats = only.isEmpty() ? all : all.stream().filter(f -> only.contains(f.key())).toList();
        if (formats.size() != (only.isEmpty() ? all.size() : only.size())) {
            throw new UserException("invalid_option", "--formats " + only + ": the formats are "
                    + all.stream().map(RequestFormat::key).toList());
        }
        Database db = Database.open(null, benchHome.database());
        var target = DeploymentRequests.target(modelRef, DEPLOYMENT, "production", 100, maxBatch, maxDelayMs, workers, registry);
        new SqlDeployments(db).put(target);
        List<Round> played;
        FormatCosts.Costs costs;
        String threads;
        try (InProcessModel model = new InProcessModel(registry.resolve(modelRef), sample)) {
            // read once the engine runs here: the server then computes on as many intra-op threads as this process
            threads = System.getProperty("ai.djl.pytorch.num_threads");
            ServerProcess server = startServer(benchHome, threads);
            try {
                Optional<RequestFormat.Refusal> refused = multipart.probe(server);
                if (refused.isPresent()) {
                    throw new UserException("bench_failed", "the server refuses the reference format (multipart PNG): "
                            + refused.get().reason());
                }
                played = alternate(model, multipart, server, rounds, Math.max(500, requests / rounds), maxBatch, benchHome.root());
            } finally {
                server.stop();
            }
            // the costs on one intra-op thread, here and in the server: see InProcessModel.batchCpuNanos for why
            server = startServer(benchHome, "1");
            try {
                costs = new FormatCosts(server, DEPLOYMENT, rounds, Math.max(500, requests / rounds), benchHome.root(), log)
                        .measure(formats, model);
            } finally {
                server.stop();
            }
        }
        AuthOverhead.Result auth = authOverhead(benchHome, db, multipart, requests);
        log.printf("one client, median latency: open %.3f ms, with API key + rate limit + quota + metering %.3f ms:"
                + " overhead %.3f ms (%d requests each, %d errors)%n", auth.openP50Ms(), auth.authP50Ms(),
                auth.overheadMs(), auth.requestsEach(), auth.errors());
        AtomicFiles.deleteRecursively(benchHome.root());

        double inProcess = TrainBenchmark.median(played.stream().map(Round::inProcessPerSecond).toList());
        double http = TrainBenchmark.median(played.stream().map(Round::httpPerSecond).toList());
        // errors: every non-2xx answer or failed request of every load, and failed probes; a format that the
        // server refuses with 4xx (not built on its side yet) is counted in unsupported_format_errors instead
        List<FormatCost> formatCosts = costs.formats();
        int errors = played.stream().mapToInt(Round::errors).sum() + costs.bareErrors()
                + formatCosts.stream().mapToInt(FormatCost::errors).sum() + auth.errors();
        int unsupported = formatCosts.stream().mapToInt(FormatCost::unsupportedErrors).sum();
        return new Result(card.ref(), WrkLoad.available() ? "wrk" : "java", maxBatch, maxDelayMs, target.workers(), threads,
                played, inProcess, http, http / inProcess,
                TrainBenchmark.median(played.stream().map(r -> r.p99Ms() / r.p50Ms()).toList()), requests, costs.bareUs(),
                formatCosts.stream().filter(c -> c.format().equals("grpc")).findFirst().map(FormatCost::bareUs).orElse(null),
                formatCosts.get(0).modelUs(), formatCosts, overhead(formatCosts, "multipart"),
                overhead(formatCosts, "multipart_rgb"),
                overhead(formatCosts, "json"), overhead(formatCosts, "rows"), overhead(formatCosts, "v2"),
                overhead(formatCosts, "v2_binary"), overhead(formatCosts, "grpc"),
                errors, unsupported, auth.openP50Ms(), auth.authP50Ms(), auth.overheadMs());
    }

    private ServerProcess startServer(MoxingHome benchHome, String intraOpThreads) throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(benchHome.root(), List.of("-Dai.djl.pytorch.num_threads=" + intraOpThreads),
                List.of("--no-auth"));
        server.start();
        log.printf("server: moxing serve --no-auth, pid %d, port %d, %s intra-op threads%n", server.pid(), server.port(),
                intraOpThreads);
        return server;
    }

    /**
     * Rounds of an in-process chunk (full batches) and an HTTP chunk of as many multipart requests from
     * 64 clients, each side started on a settled machine, so that a swing of the machine's speed hits both.
     */
    private List<Round> alternate(InProcessModel model, HttpFormat multipart, ServerProcess server, int rounds, int perRound,
                                  int maxBatch, Path scratch) throws IOException {
        log.println("warming up the server and the in-process model...");
        int warmUpErrors = multipart.load(server, Math.max(1000, perRound), CLIENTS, scratch).errors();
        model.imagesPerSecond(perRound, maxBatch);
        List<Round> played = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            AlternatingRounds.settle();
            double inProcess = model.imagesPerSecond(perRound, maxBatch);
            AlternatingRounds.settle();
            LoadResult h = multipart.load(server, perRound, CLIENTS, scratch);
            // the warm-up's errors go with the first round, so that the total counts them
            played.add(new Round(inProcess, h.throughput(), h.p50Ms(), h.p99Ms(), h.errors() + (r == 0 ? warmUpErrors : 0)));
            log.printf("round %d/%d: in-process %,.0f images/s, HTTP %,.0f requests/s (p50 %.2f ms, p99 %.2f ms, %d errors)%n",
                    r + 1, rounds, inProcess, h.throughput(), h.p50Ms(), h.p99Ms(), h.errors());
        }
        return played;
    }

    /** A format's overhead; null when it was not measured (left out by --formats, or refused). */
    private static Double overhead(List<FormatCost> costs, String format) {
        return costs.stream().filter(c -> c.format().equals(format)).findFirst().map(FormatCost::overheadUs).orElse(null);
    }

    /**
     * Two servers of the same deployment in this process, one open and one with the business layer on (a
     * plan whose rate limit and quota are checked on every request but never reached), measured against
     * each other by one client.
     */
    private AuthOverhead.Result authOverhead(MoxingHome benchHome, Database db, HttpFormat multipart, int requests)
            throws IOException {
        BillingAdmin billing = SqlBilling.open(db);
        Actor bench = new Actor("bench", "local");
        billing.createPlan(bench, Plan.free("bench-unlimited", Long.MAX_VALUE / 2, 1e9, 1_000_000));
        billing.createTenant(bench, DEPLOYMENT, null, "bench-unlimited", System.currentTimeMillis());
        String key = billing.issueKey(bench, DEPLOYMENT, "bench", null, null, null, null, System.currentTimeMillis()).plaintext();
        ServeOptions options = ServeOptions.defaults().withPort(0);
        try (ModelServer open = new ModelServer(benchHome, new SqlDeployments(db), options).start();
             ModelServer guarded = new ModelServer(benchHome, new SqlDeployments(db), options, billing).start()) {
            return AuthOverhead.measure("http://127.0.0.1:" + open.port() + multipart.path(),
                    "http://127.0.0.1:" + guarded.port() + multipart.path(), key, multipart.contentType(), multipart.body(),
                    10, Math.max(100, requests / 100));
        }
    }
}
