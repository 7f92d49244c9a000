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
 */
final class FormatCosts {
    private static final HttpFormat BARE = HttpFormat.get("bare", "bare GET /v2/health/live", "/v2/health/live");
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
        log.println("warming up every format...");
        bare.errors += BARE.load(server, warmUp(), ServeBenchmark.CLIENTS, scratch).errors();
        for (var e : measured.entrySet()) {
            e.getValue().errors += e.getKey().load(server, warmUp(), ServeBenchmark.CLIENTS, scratch).errors();
        }
        for (int r = 0; r < rounds; r++) {
            for (var e : measured.entrySet()) {
                Window b = window(BARE);
                Window w = window(e.getKey());
                bare.add(b, 0);
                e.getValue().add(w, b.cpuUs);
                log.printf("round %d/%d: %s %.1f µs of CPU per request, bare before it %.1f µs (batches of %.1f)%n", r + 1,
                        rounds, e.getKey().label(), w.cpuUs, b.cpuUs, w.meanBatch);
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

    private int warmUp() {
        return Math.max(500, perWindow);
    }

    /** A format's parts from its rounds: the model measured now, while the server is idle and leaves the cores alone. */
    private ServeBenchmark.FormatCost cost(RequestFormat f, Samples s, double bareUs, InProcessModel model) {
        if (s.excess.isEmpty() || s.batch.isEmpty()) {
            log.printf("%s: no successful answer in any round%n", f.label());
            return new ServeBenchmark.FormatCost(f.key(), f.label(), s.answered, null, null, null, null, null, s.errors, 0,
                    "no successful answer");
        }
        double meanBatch = TrainBenchmark.median(s.batch);
        double modelUs = model.cpuMicrosPerImage(meanBatch);
        double beyondBare = TrainBenchmark.median(s.excess);
        double overhead = beyondBare - modelUs;
        log.printf("%s: %.1f µs of CPU beyond the bare request (median of %d rounds) = model %.1f (batches of %.1f)"
                + " + overhead %.1f%n", f.label(), beyondBare, s.excess.size(), modelUs, meanBatch, overhead);
        return new ServeBenchmark.FormatCost(f.key(), f.label(), s.answered, TrainBenchmark.median(s.cpu), meanBatch, modelUs,
                overhead, TrainBenchmark.median(s.throughput), s.errors, 0, null);
    }

    private static ServeBenchmark.FormatCost refused(RequestFormat f, RequestFormat.Refusal r) {
        return new ServeBenchmark.FormatCost(f.key(), f.label(), null, null, null, null, null, null,
                r.kind() == RequestFormat.Refusal.Kind.FAILED ? 1 : 0, r.kind() == RequestFormat.Refusal.Kind.UNSUPPORTED ? 1 : 0,
                r.reason());
    }

    /** One timed load: the server's CPU µs per successful answer (NaN: none) and the mean batch size it formed. */
    private record Window(LoadResult load, double cpuUs, double meanBatch) {}

    private Window window(RequestFormat format) throws IOException, InterruptedException {
        AlternatingRounds.settle();
        BatchCounter before = BatchCounter.parse(server.get("/metrics"), deployment);
        long cpuBefore = ProcessCpu.nanos(server.pid());
        LoadResult load = format.load(server, perWindow, ServeBenchmark.CLIENTS, scratch);
        // requests still in flight when the load generator stopped finish before the clock is read again
        AlternatingRounds.settle();
        long cpu = ProcessCpu.nanos(server.pid()) - cpuBefore;
        BatchCounter after = BatchCounter.parse(server.get("/metrics"), deployment);
        if (cpu < 100 * ProcessCpu.nanosPerTick()) {
            log.printf("warning: %s took the server only %d clock ticks of CPU, so its figure is rough; raise --requests%n",
                    format.label(), cpu / ProcessCpu.nanosPerTick());
        }
        long succeeded = load.answered() - load.errors();
        return new Window(load, succeeded > 0 ? cpu / 1e3 / succeeded : Double.NaN, after.meanSince(before));
    }

    /** What the rounds measured of one format (or of the bare request). */
    private static final class Samples {
        final List<Double> cpu = new ArrayList<>();
        /** CPU µs per request beyond the bare request of the same round. */
        final List<Double> excess = new ArrayList<>();
        final List<Double> batch = new ArrayList<>();
        final List<Double> throughput = new ArrayList<>();
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
        }
    }
}
