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
 * <p>CPU time drifts too when other processes crowd the cores (a health check took 105 µs in one run and
 * 351 µs in the next on a busy two-core machine), so formats are not timed at different moments against
 * one bare figure: in each round, every format's window follows a bare window of its own, and a format's
 * cost beyond the bare request is the median over the rounds of the two windows' difference.
 *
 * <p>Each format is warmed up until the server's JIT compiler is quiet on it. A fixed warm-up was not enough: in
 * a profile of the gRPC window, 48% of the server's CPU was its C1 and C2 compiler threads, compiling Netty,
 * protobuf and our code for the first time, so the "overhead" measured was mostly warm-up. The compilers' share
 * of every timed window is reported ({@code jit_share}) so that a window that was not steady shows itself.
 */
final class FormatCosts {
    private static final HttpFormat BARE = HttpFormat.get("bare", "bare GET /v2/health/live", "/v2/health/live");
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
        Samples bare = new Samples();
        bare.errors += warmUp(BARE);
        for (var e : measured.entrySet()) e.getValue().errors += warmUp(e.getKey());
        for (int r = 0; r < rounds; r++) {
            for (var e : measured.entrySet()) {
                Window b = window(BARE);
                Window w = window(e.getKey());
                bare.add(b, 0);
                e.getValue().add(w, b.cpuUs);
                log.printf("round %d/%d: %s %.1f µs of CPU per request, bare before it %.1f µs (batches of %.1f, JIT %.1f%%)%n",
                        r + 1, rounds, e.getKey().label(), w.cpuUs, b.cpuUs, w.meanBatch, 100 * w.jitShare);
            }
        }
        if (bare.cpu.isEmpty()) {
            // no format was measurable: the bare request alone, so that bare_us still means something
            for (int r = 0; r < rounds; r++) bare.add(window(BARE), 0);
        }
        if (bare.cpu.isEmpty()) throw new UserException("bench_failed", "the server answered no health check; see " + server.log());
        double bareUs = TrainBenchmark.median(bare.cpu);
        for (var e : measured.entrySet()) results.put(e.getKey(), cost(e.getKey(), e.getValue(), bareUs, model));
        return new Costs(bareUs, bare.errors, List.copyOf(results.values()));
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
        log.printf("warning: %s still compiling after %d warm-up windows; its figures include the JIT (jit_share)%n",
                format.label(), MAX_WARM_UPS);
        return errors;
    }

    private static double share(long part, long whole) {
        return whole <= 0 ? 0 : (double) part / whole;
    }

    /** A format's parts from its rounds: the model measured now, while the server is idle and leaves the cores alone. */
    private ServeBenchmark.FormatCost cost(RequestFormat f, Samples s, double bareUs, InProcessModel model) {
        if (s.excess.isEmpty() || s.batch.isEmpty()) {
            log.printf("%s: no successful answer in any round%n", f.label());
            return new ServeBenchmark.FormatCost(f.key(), f.label(), s.answered, null, null, null, null, null, null, s.errors, 0,
                    "no successful answer");
        }
        double meanBatch = TrainBenchmark.median(s.batch);
        double modelUs = model.cpuMicrosPerImage(meanBatch);
        double beyondBare = TrainBenchmark.median(s.excess);
        double overhead = beyondBare - modelUs;
        log.printf("%s: %.1f µs of CPU beyond the bare request (median of %d rounds) = model %.1f (batches of %.1f)"
                + " + overhead %.1f%n", f.label(), beyondBare, s.excess.size(), modelUs, meanBatch, overhead);
        return new ServeBenchmark.FormatCost(f.key(), f.label(), s.answered, TrainBenchmark.median(s.cpu), meanBatch, modelUs,
                overhead, TrainBenchmark.median(s.throughput), TrainBenchmark.median(s.jit), s.errors, 0, null);
    }

    private static ServeBenchmark.FormatCost refused(RequestFormat f, RequestFormat.Refusal r) {
        return new ServeBenchmark.FormatCost(f.key(), f.label(), null, null, null, null, null, null, null,
                r.kind() == RequestFormat.Refusal.Kind.FAILED ? 1 : 0, r.kind() == RequestFormat.Refusal.Kind.UNSUPPORTED ? 1 : 0,
                r.reason());
    }

    /**
     * One timed load: the server's CPU µs per successful answer (NaN: none), the mean batch size it formed, and the
     * share of its CPU time that the JIT compilers took.
     */
    private record Window(LoadResult load, double cpuUs, double meanBatch, double jitShare) {}

    private Window window(RequestFormat format) throws IOException, InterruptedException {
        AlternatingRounds.settle();
        BatchCounter before = BatchCounter.parse(server.get("/metrics"), deployment);
        long cpuBefore = ProcessCpu.nanos(server.pid()), jitBefore = ProcessCpu.compilerNanos(server.pid());
        LoadResult load = format.load(server, perWindow, ServeBenchmark.CLIENTS, scratch);
        // requests still in flight when the load generator stopped finish before the clock is read again
        AlternatingRounds.settle();
        long cpu = ProcessCpu.nanos(server.pid()) - cpuBefore;
        double jit = share(ProcessCpu.compilerNanos(server.pid()) - jitBefore, cpu);
        BatchCounter after = BatchCounter.parse(server.get("/metrics"), deployment);
        if (cpu < 100 * ProcessCpu.nanosPerTick()) {
            log.printf("warning: %s took the server only %d clock ticks of CPU, so its figure is rough; raise --requests%n",
                    format.label(), cpu / ProcessCpu.nanosPerTick());
        }
        long succeeded = load.answered() - load.errors();
        return new Window(load, succeeded > 0 ? cpu / 1e3 / succeeded : Double.NaN, after.meanSince(before), jit);
    }

    /** What the rounds measured of one format (or of the bare request). */
    private static final class Samples {
        final List<Double> cpu = new ArrayList<>();
        /** CPU µs per request beyond the bare request of the same round. */
        final List<Double> excess = new ArrayList<>();
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
            if (!Double.isNaN(w.meanBatch)) batch.add(w.meanBatch);
            throughput.add(w.load.throughput());
            jit.add(w.jitShare);
        }
    }
}
