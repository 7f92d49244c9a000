package io.moxing.bench;

import io.moxing.core.UserException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server process's CPU time per request of each format, split into the bare request, the model and
 * the overhead left. A window is a timed load between two readings of the server's CPU clock
 * ({@link ProcessCpu}) and of its batch counters, at {@link ServeBenchmark#CLIENTS} clients; its CPU time
 * is divided by the successful answers, so it counts everything the server did for them on every core
 * and nothing the load generator did.
 *
 * <p>The model's part is what the server's batch threads spent inside the model call in the same window
 * ({@code moxing_model_cpu_seconds_total}; the cost server runs one intra-op thread, so that is all of it). It used
 * to be the model's CPU per image measured in this process afterwards, on an idle machine, at the window's mean
 * batch size: that figure swung between 54 and 80 µs from run to run (docs/BENCHMARKS.md) and the model under load,
 * its caches shared with the load generator, costs what it costs then, so every overhead moved by the model's
 * swing. The in-process figure is still reported beside it ({@code model_us_in_bench}, and the overhead it gives,
 * {@code overhead_us_bench_model}), as a check on the server's.
 *
 * <p>CPU time drifts too when other processes crowd the cores (a health check took 105 µs in one run and
 * 351 µs in the next on a busy two-core machine), so formats are not timed at different moments against
 * one bare figure: in each round, every format's window follows a bare window of its own, and a format's
 * cost beyond the bare request is the median over the rounds of the two windows' difference.
 *
 * <p>Each format is warmed up until the server's JIT compiler is quiet on it. A fixed warm-up was not enough: in
 * a profile of the gRPC window, 48% of the server's CPU was its C1 and C2 compiler threads, compiling Netty,
 * protobuf and our code for the first time, so the "overhead" measured was mostly warm-up. Even warmed up, the
 * compilers came back in the timed windows (8-16% of the gRPC windows' CPU in one run, 45% of one multipart window):
 * the formats take turns, and each turn's type profiles send some code back to be compiled again, which a server
 * answering one steady mix would not keep doing. So a window's CPU leaves the compiler threads' time out (read to the
 * nanosecond from their {@code schedstat}); their share of every timed window is still reported ({@code jit_share})
 * so that a window that was not steady shows itself.
 */
final class FormatCosts {
    private static final HttpFormat BARE = HttpFormat.get("bare", "bare GET /v2/health/live", "/v2/health/live");
    /**
     * A bare window takes this many times a format's requests: a health check costs a fifth of a prediction, and
     * at the same count its window spanned 13-34 clock ticks of the server's CPU, so that one tick either way moved
     * the bare figure by up to 8%.
     */
    private static final int BARE_WINDOW_SCALE = 4;
    /** A warm-up window whose compiler share is below this is steady. */
    private static final double QUIET_JIT_SHARE = 0.03;
    /** Warm-up windows per format at most; a format still compiling after them is measured anyway, with a warning. */
    private static final int MAX_WARM_UPS = 12;
    private final ServerProcess server;
    private final String deployment;
    private final int rounds;
    private final int perWindow;
    private final Path scratch;
    private final PrintStream log;
    /** Each measured format's bare request, where it is not HTTP's health check. */
    private final Map<RequestFormat, RequestFormat> bareOf = new java.util.HashMap<>();
    /** Formats already warned about for a short window: the warning is said once, not once per round. */
    private final java.util.Set<String> roughWarned = new java.util.HashSet<>();

    /** The bare request's median cost and each format's parts, in the order of the formats given. */
    record Costs(double bareUs, int bareErrors, List<ServeBenchmark.FormatCost> formats) {}

    FormatCosts(ServerProcess server, String deployment, int rounds, int perWindow, Path scratch, PrintStream log) {
        this.server = server;
        this.deployment = deployment;
        this.rounds = rounds;
        this.perWindow = perWindow;
        this.scratch = scratch;
        this.log = log;
    }

    Costs measure(List<RequestFormat> formats, InProcessModel model) throws IOException, InterruptedException {
        Map<RequestFormat, Samples> measured = new LinkedHashMap<>();
        Map<RequestFormat, ServeBenchmark.FormatCost> results = new LinkedHashMap<>();
        for (RequestFormat f : formats) {
            Optional<RequestFormat.Refusal> refusal = f.probe(server);
            if (refusal.isPresent()) {
                log.printf("%s: not measured: %s%n", f.label(), refusal.get().reason());
                results.put(f, refused(f, refusal.get()));
            } else {
                measured.put(f, new Samples());
                results.put(f, null);
            }
        }
        // each protocol's bare request: HTTP's health check, and gRPC's ServerLive where gRPC is measured (HTTP's when
        // the server would not answer ServerLive, said here)
        Map<RequestFormat, Samples> bares = new LinkedHashMap<>();
        bares.put(BARE, new Samples());
        for (RequestFormat f : measured.keySet()) {
            RequestFormat own = f.bare().orElse(BARE);
            if (bares.containsKey(own)) {
                bareOf.put(f, own);
                continue;
            }
            Optional<RequestFormat.Refusal> refused = own.probe(server);
            if (refused.isPresent()) {
                log.printf("%s: %s not answered (%s); its overhead is net of %s instead%n", f.label(), own.label(),
                        refused.get().reason(), BARE.label());
                own = BARE;
            }
            bareOf.put(f, own);
            bares.putIfAbsent(own, new Samples());
        }
        for (var e : bares.entrySet()) e.getValue().errors += warmUp(e.getKey());
        for (var e : measured.entrySet()) e.getValue().errors += warmUp(e.getKey());
        for (int r = 0; r < rounds; r++) {
            for (var e : measured.entrySet()) {
                Window b = window(bareOf(e.getKey()), BARE_WINDOW_SCALE * perWindow);
                Window w = window(e.getKey());
                bares.get(bareOf(e.getKey())).add(b, 0);
                e.getValue().add(w, b.cpuUs);
                log.printf("round %d/%d: %s %.1f µs of CPU per request, %s before it %.1f µs (batches of %.1f, JIT %.1f%%)%n",
                        r + 1, rounds, e.getKey().label(), w.cpuUs, bareOf(e.getKey()).label(), b.cpuUs, w.meanBatch,
                        100 * w.jitShare);
            }
        }
        Samples bare = bares.get(BARE);
        if (bare.cpu.isEmpty()) {
            // no format was measurable: the bare request alone, so that bare_us still means something
            for (int r = 0; r < rounds; r++) bare.add(window(BARE, BARE_WINDOW_SCALE * perWindow), 0);
        }
        if (bare.cpu.isEmpty()) throw new UserException("bench_failed", "the server answered no health check; see " + server.log());
        double bareUs = TrainBenchmark.median(bare.cpu);
        for (var e : measured.entrySet()) {
            Samples own = bares.get(bareOf(e.getKey()));
            results.put(e.getKey(), cost(e.getKey(), e.getValue(), own.cpu.isEmpty() ? Double.NaN : TrainBenchmark.median(own.cpu),
                    model));
        }
        int bareErrors = bares.values().stream().mapToInt(b -> b.errors).sum();
        return new Costs(bareUs, bareErrors, List.copyOf(results.values()));
    }

    /** The bare request a format's overhead is net of: its protocol's own, as the probes above found it answered. */
    private RequestFormat bareOf(RequestFormat format) {
        return bareOf.getOrDefault(format, BARE);
    }

    /** Loads {@code format} until a window's compiler share is quiet; returns the errors seen. */
    private int warmUp(RequestFormat format) throws IOException, InterruptedException {
        int errors = 0;
        for (int i = 1; i <= MAX_WARM_UPS; i++) {
            long cpu = ProcessCpu.nanos(server.pid()), jit = ProcessCpu.compilerNanos(server.pid());
            errors += format.load(server, Math.max(500, perWindow), ServeBenchmark.CLIENTS, scratch).errors();
            AlternatingRounds.settle();
            double share = share(ProcessCpu.compilerNanos(server.pid()) - jit, ProcessCpu.nanos(server.pid()) - cpu);
            if (share < QUIET_JIT_SHARE) {
                log.printf("warmed up %s: %d windows, the compilers' share of the last %.1f%%%n", format.label(), i, 100 * share);
                return errors;
            }
        }
        log.printf("warning: %s still compiling after %d warm-up windows; the compilers' time is left out of its windows"
                + " (jit_share says how much)%n", format.label(), MAX_WARM_UPS);
        return errors;
    }

    private static double share(long part, long whole) {
        return whole <= 0 ? 0 : (double) part / whole;
    }

    /**
     * A format's parts from its rounds: the model's as the server counted it, and beside it the model measured here,
     * now, while the server is idle and leaves the cores alone (the figure used where the server did not count it).
     */
    private ServeBenchmark.FormatCost cost(RequestFormat f, Samples s, double bareUs, InProcessModel model) {
        if (s.excess.isEmpty() || s.batch.isEmpty()) {
            log.printf("%s: no successful answer in any round%n", f.label());
            return new ServeBenchmark.FormatCost(f.key(), f.label(), s.answered, null, null, null, null, null, null, null, null, null,
                    null, bareOf(f).label(), s.errors, 0, "no successful answer");
        }
        double meanBatch = TrainBenchmark.median(s.batch);
        double benchModelUs = model.cpuMicrosPerImage(meanBatch);
        double beyondBare = TrainBenchmark.median(s.excess);
        double byBenchModel = beyondBare - benchModelUs;
        // every window must have its server figure, or the rounds would mix two attributions
        boolean inServer = s.outside.size() == s.excess.size();
        double modelUs = inServer ? TrainBenchmark.median(s.model) : benchModelUs;
        double overhead = inServer ? TrainBenchmark.median(s.outside) : byBenchModel;
        log.printf("%s: %.1f µs of CPU beyond the %s (median of %d rounds) = model %.1f (%s; batches of %.1f)"
                + " + overhead %.1f (the model measured here instead, %.1f µs: overhead %.1f)%n", f.label(), beyondBare,
                bareOf(f).label(), s.excess.size(), modelUs, inServer ? "in the server" : "measured here, the server did not say", meanBatch,
                overhead, benchModelUs, byBenchModel);
        Double inBare = inServer && !s.outsideInBare.isEmpty() ? Double.valueOf(TrainBenchmark.median(s.outsideInBare))
                : bareUs > 0 ? Double.valueOf(overhead / bareUs) : null;
        return new ServeBenchmark.FormatCost(f.key(), f.label(), s.answered, TrainBenchmark.median(s.cpu), meanBatch, modelUs,
                benchModelUs, overhead, inBare, byBenchModel, TrainBenchmark.median(s.throughput), TrainBenchmark.median(s.jit),
                Double.isNaN(bareUs) ? null : bareUs, bareOf(f).label(), s.errors, 0, null);
    }

    private ServeBenchmark.FormatCost refused(RequestFormat f, RequestFormat.Refusal r) {
        return new ServeBenchmark.FormatCost(f.key(), f.label(), null, null, null, null, null, null, null, null, null, null,
                null, bareOf(f).label(), r.kind() == RequestFormat.Refusal.Kind.FAILED ? 1 : 0, r.kind() == RequestFormat.Refusal.Kind.UNSUPPORTED ? 1 : 0,
                r.reason());
    }

    /**
     * One timed load: the server's CPU µs per successful answer (NaN: none), the part of it inside the model (NaN: the
     * server did not count it), the mean batch size it formed, and the share of its CPU time that the JIT compilers took.
     */
    private record Window(LoadResult load, double cpuUs, double modelUs, double meanBatch, double jitShare) {}

    private Window window(RequestFormat format) throws IOException, InterruptedException {
        return window(format, perWindow);
    }

    private Window window(RequestFormat format, int requests) throws IOException, InterruptedException {
        AlternatingRounds.settle();
        BatchCounter before = BatchCounter.parse(server.get("/metrics"), deployment);
        long cpuBefore = ProcessCpu.nanos(server.pid()), jitBefore = ProcessCpu.compilerNanos(server.pid());
        LoadResult load = format.load(server, requests, ServeBenchmark.CLIENTS, scratch);
        // requests still in flight when the load generator stopped finish before the clock is read again
        AlternatingRounds.settle();
        long cpu = ProcessCpu.nanos(server.pid()) - cpuBefore;
        // a compiler thread that exited would take its time with it (the servers keep theirs): never below nothing
        long compiling = Math.max(0, ProcessCpu.compilerNanos(server.pid()) - jitBefore);
        double jit = share(compiling, cpu);
        BatchCounter after = BatchCounter.parse(server.get("/metrics"), deployment);
        if (cpu < 100 * ProcessCpu.nanosPerTick() && roughWarned.add(format.label())) {
            log.printf("warning: %s took the server only %d clock ticks of CPU in a window, so its figures are rough; raise"
                    + " --requests (said once per format)%n", format.label(), cpu / ProcessCpu.nanosPerTick());
        }
        long succeeded = load.answered() - load.errors();
        double modelUs = after.modelCpuMicrosSince(before);
        // what the compilers did in the window is warm-up, not a cost of these requests: left out, and reported (jit_share)
        return new Window(load, succeeded > 0 ? Math.max(0, cpu - compiling) / 1e3 / succeeded : Double.NaN,
                succeeded > 0 && modelUs > 0 ? modelUs / succeeded : Double.NaN, after.meanSince(before), jit);
    }

    /** What the rounds measured of one format (or of the bare request). */
    private static final class Samples {
        final List<Double> cpu = new ArrayList<>();
        /** CPU µs per request beyond the bare request of the same round. */
        final List<Double> excess = new ArrayList<>();
        /** The model's CPU µs per request in the server, and what is left beyond it and the bare request. */
        final List<Double> model = new ArrayList<>();
        final List<Double> outside = new ArrayList<>();
        /** That overhead divided by the same round's bare request: the machine's speed moves both alike. */
        final List<Double> outsideInBare = new ArrayList<>();
        final List<Double> batch = new ArrayList<>();
        final List<Double> throughput = new ArrayList<>();
        final List<Double> jit = new ArrayList<>();
        long answered;
        int errors;

        void add(Window w, double bareUs) {
            answered += w.load.answered();
            errors += w.load.errors();
            if (Double.isNaN(w.cpuUs) || Double.isNaN(bareUs)) return;
            cpu.add(w.cpuUs);
            excess.add(w.cpuUs - bareUs);
            if (!Double.isNaN(w.modelUs)) {
                model.add(w.modelUs);
                double left = w.cpuUs - w.modelUs - bareUs;
                outside.add(left);
                // a bare window can read 0 (CPU counted in clock ticks, the compilers' nanoseconds taken off)
                if (bareUs > 0) outsideInBare.add(left / bareUs);
            }
            if (!Double.isNaN(w.meanBatch)) batch.add(w.meanBatch);
            throughput.add(w.load.throughput());
            jit.add(w.jitShare);
        }
    }
}
