package io.moxing.cli;

import io.moxing.bench.TrainBenchmark;
import io.moxing.core.UserException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", description = "Benchmarks: commands that print a table (and JSON with --json).",
        subcommands = {BenchCommand.Train.class, BenchCommand.Infer.class, BenchCommand.LanguageModel.class, BenchCommand.Import.class, BenchCommand.Generate.class,
                BenchCommand.Serve.class, BenchCommand.CrashSafety.class})
final class BenchCommand {

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Training and inference throughput of a recipe, its MFU, and the ratio to PyTorch from Python.")
    static final class Train implements Runnable {
        @Parameters(index = "0", defaultValue = "cnn-28", description = "Recipe (default cnn-28).") String recipe;
        @Option(names = "--data", description = "Data set (default: the recipe's).") String data;
        @Option(names = "--rounds", defaultValue = "7", description = "Alternating timed rounds.") int rounds;
        @Option(names = "--steps", defaultValue = "300", description = "Training steps per round.") int steps;
        @Option(names = "--baseline", defaultValue = "bench/torch_train.py",
                description = "PyTorch script (knows cnn-28 and lenet-cifar).") Path baseline;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            if (rounds < 1 || steps < 1) {
                throw new UserException("invalid_option", "--rounds and --steps must be positive");
            }
            Output out = new Output(System.out, json);
            TrainBenchmark.Result r;
            try {
                r = new TrainBenchmark(Main.home(), System.err).run(recipe, data, rounds, steps, baseline);
            } catch (java.io.IOException e) {
                throw new UserException("bench_failed", "benchmark failed: " + e.getMessage());
            }
            out.line("%-40s %s", "recipe", r.recipe() + " (batch " + r.batchSize() + ")");
            out.line("%-40s %,.0f samples/s (median of %d rounds of %d steps; best %,.0f)", "training throughput",
                    r.trainSamplesPerSecond(), r.rounds(), r.stepsPerRound(), r.trainSamplesPerSecondBest());
            out.line("%-40s %.1f s", "epoch time (train split / throughput)", r.epochSeconds());
            out.line("%-40s %,.0f samples/s", "inference, batch 1", r.inferenceBatch1PerSecond());
            out.line("%-40s %,.0f samples/s", "inference, batch 256", r.inferenceBatch256PerSecond());
            out.line("%-40s %.1f GFLOP/s", "matrix-product peak (2048^2, this run)", r.matmulGflops());
            out.line("%-40s %.4f GFLOP", "model FLOPs per training sample (3x fwd)", r.modelGflopsPerSample());
            out.line("%-40s %.1f%%", "MFU (model FLOP/s / peak)", 100 * r.mfu());
            out.line("%-40s %,.0f MiB", "peak resident memory", r.peakRssBytes() / 1048576.0);
            if (r.pytorchSamplesPerSecond() != null) {
                out.line("%-40s %,.0f samples/s (torch %s)", "PyTorch from Python, same rounds", r.pytorchSamplesPerSecond(),
                        r.pytorchVersion());
                out.line("%-40s %,.0f samples/s", "PyTorch inference, batch 256", r.pytorchInferenceBatch256PerSecond());
                out.line("%-40s %.2f", "ratio moxing / pytorch (training)", r.ratioToPytorch());
                out.line("%-40s %.2f", "ratio moxing / pytorch (inference, 256)", r.ratioInference256());
            }
            printFairness(out, r.fairness(), "samples/s", 40);
            out.result(r);
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Batch-1 latency and batch-64 throughput of model versions (an original and its compressed"
                    + " versions), measured in alternating rounds in one process; speedup_64 against the first.")
    static final class Infer implements Runnable {
        @Parameters(arity = "1..*", description = "MODEL:VERSION, two or more to compare (the first is the reference).")
        java.util.List<String> models;
        @Option(names = "--rounds", defaultValue = "5", description = "Alternating timed rounds.") int rounds;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            if (rounds < 1) {
                throw new UserException("invalid_option", "--rounds " + rounds + " must be at least 1");
            }
            Output out = new Output(System.out, json);
            io.moxing.bench.InferenceBenchmark.Result r = new io.moxing.bench.InferenceBenchmark(Main.home(), System.err)
                    .run(models, rounds);
            out.line("%d alternating rounds, %d intra-op threads; batch 1: %d calls, batch 64: %d batches per version per round",
                    r.rounds(), r.intraOpThreads(), io.moxing.bench.InferenceBenchmark.SINGLE_CALLS, r.batchesPerRound());
            out.line("%-16s %14s %12s %9s %9s %14s %11s", "version", "weights bytes", "parameters", "p50 ms", "p99 ms",
                    "batch-64 img/s", "speedup_64");
            for (var v : r.versions()) {
                out.line("%-16s %,14d %,12d %9.3f %9.3f %,14.0f %10.2fx", v.model(), v.weightsBytes(), v.parameters(),
                        v.p50Millis(), v.p99Millis(), v.throughput64(), v.speedup64());
            }
            out.result(r);
        }
    }

    @Command(name = "lm", mixinStandardHelpOptions = true,
            description = "Language-model speed: training tokens/s, generation with and without the key/value cache,"
                    + " and the ratios to the same model in PyTorch from Python.")
    static final class LanguageModel implements Runnable {
        @Parameters(index = "0", defaultValue = "transformer-lm", description = "Recipe (default transformer-lm).") String recipe;
        @Option(names = "--data", description = "Text data set (default: the recipe's).") String data;
        @Option(names = "--rounds", defaultValue = "5", description = "Alternating timed rounds.") int rounds;
        @Option(names = "--steps", defaultValue = "30", description = "Training steps per round.") int steps;
        @Option(names = "--tokens", defaultValue = "200", description = "Tokens generated per measurement.") int tokens;
        @Option(names = "--context", description = "Context length (default: the recipe's).") Integer context;
        @Option(names = "--baseline", defaultValue = "bench/torch_lm.py", description = "PyTorch script.") Path baseline;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            if (rounds < 1 || steps < 1 || tokens < 1) {
                throw new UserException("invalid_option", "--rounds, --steps and --tokens must be positive");
            }
            Output out = new Output(System.out, json);
            io.moxing.bench.LanguageModelBenchmark.Result r;
            try {
                r = new io.moxing.bench.LanguageModelBenchmark(Main.home(), System.err)
                        .run(recipe, data, context, rounds, steps, tokens, baseline);
            } catch (java.io.IOException e) {
                throw new UserException("bench_failed", "benchmark failed: " + e.getMessage());
            }
            out.line("%-44s %s (vocabulary %d, context %d, batch %d)", "recipe", r.recipe(), r.vocabulary(), r.context(),
                    r.batchSize());
            out.line("%-44s %,.0f tokens/s (median of %d rounds)", "training", r.trainTokensPerSecond(), r.rounds());
            out.line("%-44s %,.0f tokens/s", "generation, key/value cache", r.cacheTokensPerSecond());
            out.line("%-44s %,.0f tokens/s", "generation, re-running the window", r.fullTokensPerSecond());
            out.line("%-44s %.2fx (greedy tokens equal: %s)", "cache speed-up, " + r.generatedTokens() + " tokens",
                    r.cacheSpeedup(), r.greedyTokensEqual());
            if (r.pytorchTrainTokensPerSecond() != null) {
                out.line("%-44s %,.0f tokens/s (torch %s)", "PyTorch training", r.pytorchTrainTokensPerSecond(),
                        r.pytorchVersion());
                out.line("%-44s %,.0f / %,.0f tokens/s", "PyTorch generation, cache / full", r.pytorchCacheTokensPerSecond(),
                        r.pytorchFullTokensPerSecond());
                out.line("%-44s %.2f (training), %.2f (cached generation)", "ratio moxing / pytorch", r.ratioTrain(),
                        r.ratioCacheGeneration());
            }
            printFairness(out, r.fairness(), "tokens/s", 44);
            out.result(r);
        }
    }

    /** The lines that let a reader trust (or distrust) a ratio to PyTorch; warnings go to stderr too. */
    private static void printFairness(Output out, io.moxing.bench.Fairness f, String unit, int width) {
        String row = "%-" + width + "s ";
        if (f.baselineStandalonePerSecond() != null) {
            out.line(row + "%,.0f %s (median of 3; alternating / alone %.2f)", "PyTorch training alone",
                    f.baselineStandalonePerSecond(), unit, f.baselineAlternatingToStandalone());
            out.line(row + "%s", "allocator, PyTorch", f.baselineAllocator());
        }
        out.line(row + "%s", "allocator, moxing", f.moxingAllocator());
        out.line(row + "%.1f%% (kernel share of moxing's CPU %.1f%%%s)", "other processes' CPU during rounds",
                100 * f.otherCpuShare(), 100 * f.systemCpuShare(), f.baselineSystemCpuShare() == null ? ""
                        : String.format(", of PyTorch's %.1f%%", 100 * f.baselineSystemCpuShare()));
        out.line(row + "%s, %d cores; DJL %s, libtorch %s", "machine", f.processor(), f.cores(), f.djlVersion(),
                f.libtorchVersion());
        for (String warning : f.warnings()) {
            System.err.println("warning: " + warning);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Load a MobileNetV2 exported by PyTorch as TorchScript and as ONNX and compare the outputs with PyTorch's.")
    static final class Import implements Runnable {
        @Option(names = "--dir", description = "An export of bench/export_mobilenetv2.py (default: export one now).") Path dir;
        @Option(names = "--width", defaultValue = "1.0", description = "Width multiplier when exporting.") double width;
        @Option(names = "--size", defaultValue = "224", description = "Image size when exporting.") int size;
        @Option(names = "--script", defaultValue = "bench/export_mobilenetv2.py") Path script;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            Path export = dir != null ? dir : exportNow();
            io.moxing.bench.ImportCheck.Result r = io.moxing.bench.ImportCheck.run(export);
            out.line("%-14s input %s -> output %s", "MobileNetV2", r.input(), r.output());
            for (var a : r.formats()) {
                out.line("%-14s max |moxing - pytorch| %.3g, relative to the largest output %.3g  (%.2f s)", a.format(),
                        a.maxAbsError(), a.relativeError(), a.seconds());
            }
            out.result(r);
        }

        private Path exportNow() {
            try {
                Path target = java.nio.file.Files.createTempDirectory("moxing-export");
                Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--out", target.toString(),
                        "--width", Double.toString(width), "--size", Integer.toString(size))
                        .redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new UserException("bench_failed", "the export script failed (install PyTorch and torchvision for"
                            + " Python: scripts/setup --bench): " + log.strip().lines().reduce((a, b) -> b).orElse(""));
                }
                return target;
            } catch (java.io.IOException e) {
                throw new UserException("bench_failed", "cannot run " + script + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserException("bench_failed", "interrupted");
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "HTTP serving against in-process batching (alternating rounds, 64 clients) and the server"
                    + " process's CPU time per request of each format: bare request, model, and the overhead left.")
    static final class Serve implements Runnable {
        @Parameters(index = "0", defaultValue = "cnn-28", description = "MODEL or MODEL:VERSION (default cnn-28).") String model;
        @Option(names = "--requests", defaultValue = "20000",
                description = "Timed requests per format, split over the rounds (after one round's worth to warm up);"
                        + " the throughput rounds send as many.")
        int requests;
        @Option(names = "--rounds", defaultValue = "5", description = "Alternating in-process / HTTP rounds.") int rounds;
        @Option(names = "--max-batch", defaultValue = "64") int maxBatch;
        @Option(names = "--max-delay-ms", defaultValue = "2") int maxDelayMs;
        @Option(names = "--workers", description = "Batch workers (default: half the cores).") Integer workers;
        @Option(names = "--formats", split = ",", description = "Measure the CPU cost of these formats only (multipart,"
                + " multipart_rgb, json, rows, v2, v2_binary, grpc; default: all).")
        java.util.Set<String> formats = java.util.Set.of();
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            if (requests < 100 || rounds < 1) {
                throw new UserException("invalid_option", "--requests " + requests + " must be at least 100 and --rounds at least 1");
            }
            Output out = new Output(System.out, json);
            io.moxing.bench.ServeBenchmark.Result r;
            try {
                r = new io.moxing.bench.ServeBenchmark(Main.home(), System.err)
                        .run(model, requests, rounds, maxBatch, maxDelayMs, workers, formats);
            } catch (java.io.IOException e) {
                throw new UserException("bench_failed", "benchmark failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserException("bench_failed", "interrupted");
            }
            out.line("model %s, batches of up to %d within %d ms, %d workers; server in its own process, load from %s,"
                    + " %d clients", r.model(), r.maxBatch(), r.maxDelayMs(), r.workers(), r.client(),
                    io.moxing.bench.ServeBenchmark.CLIENTS);
            out.line("alternating rounds, multipart PNG against in-process batches of %d, %s intra-op threads on both sides:",
                    r.maxBatch(), r.intraOpThreads());
            out.line("");
            out.line("%-8s %18s %16s %9s %9s %8s %7s", "round", "in-process img/s", "HTTP requests/s", "p50 ms", "p99 ms",
                    "p99/p50", "errors");
            int i = 1;
            for (var round : r.rounds()) {
                out.line("%-8d %,18.0f %,16.0f %9.2f %9.2f %8.2f %7d", i++, round.inProcessPerSecond(), round.httpPerSecond(),
                        round.p50Ms(), round.p99Ms(), round.p99Ms() / round.p50Ms(), round.errors());
            }
            out.line("%-8s %,18.0f %,16.0f %28.2f", "median", r.inProcessPerSecond(), r.httpPerSecond64(), r.p99P50at64());
            out.line("ratio_64 %.2f (median HTTP / median in-process), p99/p50 at 64 clients %.2f (median of the rounds)",
                    r.ratio64(), r.p99P50at64());
            out.line("");
            out.line("server CPU per request (µs of one core, the JIT compilers' time left out), %,d timed requests per format"
                    + " in %d rounds, each after a bare one; the model on one intra-op thread, its part counted by the server in"
                    + " the same window (medians of"
                    + " the rounds; in brackets, the model measured in this process on an idle machine and the overhead it"
                    + " would leave):", r.requestsPerFormat(), r.rounds().size());
            out.line("%-26s %9s %10s %8s %9s %9s %7s %6s %7s  %s", "format", "req/s", "CPU µs", "batch", "model µs", "overhead",
                    "÷ bare", "JIT", "errors", "(in-bench model, overhead)");
            for (var f : r.formats()) {
                if (f.cpuUs() == null) {
                    out.line("%-26s %s", f.label(), f.note());
                } else {
                    out.line("%-26s %,9.0f %10.1f %8.1f %9.1f %9.1f %7.2f %5.1f%% %7d  (%.1f, %.1f)", f.label(),
                            f.requestsPerSecond(), f.cpuUs(), f.meanBatch(), f.modelUs(), f.overheadUs(), f.overheadBareRequests(),
                            100 * f.jitShare(), f.errors(),
                            f.modelUsInBench(), f.overheadUsBenchModel());
                }
            }
            out.line("%-26s %9s %10.1f   (bare_us, subtracted from every HTTP format's CPU as is the model; overhead is left)",
                    "bare GET /v2/health/live", "", r.bareUs());
            if (r.bareUsGrpc() != null) {
                out.line("%-26s %9s %10.1f   (bare_us_grpc, subtracted from gRPC's, the same way)", "bare gRPC ServerLive", "",
                        r.bareUsGrpc());
            }
            out.line("÷ bare: the overhead in bare requests of its own protocol, which the machine's speed moves as it moves both");
            out.line("errors %d; unsupported_format_errors %d (formats the server refused with 4xx, not in errors)", r.errors(),
                    r.unsupportedFormatErrors());
            out.line("");
            out.line("one client, median latency: open %.3f ms, with API key + rate limit + quota + metering %.3f ms;"
                    + " auth_overhead_ms %.3f", r.openP50Ms(), r.authP50Ms(), r.authOverheadMs());
            out.result(r);
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "A language model served in its own process, streamed to 1, 8 and 32 concurrent clients through"
                    + " the OpenAI-compatible API (alternating rounds): tokens/s, time to first token, gaps between tokens.")
    static final class Generate implements Runnable {
        @Parameters(index = "0", defaultValue = "transformer-lm", description = "MODEL or MODEL:VERSION.") String model;
        @Option(names = "--rounds", defaultValue = "3", description = "Rounds; each runs every level once.") int rounds;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            if (rounds < 1) throw new UserException("invalid_option", "--rounds must be at least 1");
            Output out = new Output(System.out, json);
            io.moxing.bench.GenerateBenchmark.Result r;
            try {
                r = new io.moxing.bench.GenerateBenchmark(Main.home(), System.err).run(model, rounds);
            } catch (java.io.IOException e) {
                throw new UserException("bench_failed", "benchmark failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserException("bench_failed", "interrupted");
            }
            out.line("%s, %d new tokens a stream, medians of %d rounds:", r.model(), r.newTokens(), r.rounds());
            out.line("%8s %10s %12s %12s %11s %11s %7s", "streams", "tokens/s", "TTFT p50 ms", "TTFT p99 ms", "ITL p50 ms",
                    "ITL p99 ms", "errors");
            for (var l : r.levels()) {
                out.line("%8d %,10.0f %12.1f %12.1f %11.2f %11.2f %7d", l.streams(), l.tokensPerSecond(), l.ttftP50Ms(),
                        l.ttftP99Ms(), l.itlP50Ms(), l.itlP99Ms(), l.errors());
            }
            out.line("speedup_32 %.2f (tokens/s at 32 streams / at 1), inter-token p99/p50 at 32 streams %.2f", r.speedup32(),
                    r.itlP99P50at32());
            out.result(r);
        }
    }

    @Command(name = "crash-safety", mixinStandardHelpOptions = true,
            description = "Kill -9 a metering server twice under load from retrying clients, then check the ledger:"
                    + " every success charged exactly once, nothing else charged.")
    static final class CrashSafety implements Runnable {
        @Parameters(index = "0", defaultValue = "cnn-28", description = "An image MODEL or MODEL:VERSION (default cnn-28).") String model;
        @Option(names = "--requests", defaultValue = "6000") int requests;
        @Option(names = "--clients", defaultValue = "64") int clients;
        @Option(names = "--db", description = "postgresql://... of a throwaway database to run it on PostgreSQL (default: a fresh SQLite file).") String db;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            if (requests < 3 || clients < 1) throw new UserException("invalid_option", "--requests must be at least 3 and --clients at least 1");
            Output out = new Output(System.out, json);
            io.moxing.bench.CrashSafetyBenchmark.Result r;
            try {
                r = new io.moxing.bench.CrashSafetyBenchmark(Main.home(), System.err).run(model, requests, clients, db);
            } catch (java.io.IOException | InterruptedException e) {
                throw new UserException("bench_failed", "benchmark failed: " + e.getMessage());
            }
            out.line("%d clients, %,d requests with idempotency keys, %d kill -9 + restart, %s, %.1f s", r.clients(), r.requests(),
                    r.kills(), r.database(), r.seconds());
            out.line("succeeded %,d (attempts %,d, retries %,d, %d answered as replays)", r.succeeded(), r.attempts(), r.retries(),
                    r.replayed());
            out.line("charged usage records %,d; lost %d; double-charged %d; charged without a success %d; uncharged records %d",
                    r.usageRecords(), r.lost(), r.doubleCharged(), r.chargedWithoutSuccess(), r.uncharged());
            out.result(r);
            if (r.lost() != 0 || r.doubleCharged() != 0 || r.chargedWithoutSuccess() != 0 || r.usageRecords() != r.succeeded()) {
                throw new UserException("bench_failed", "the ledger does not match what the clients saw");
            }
        }
    }
}
