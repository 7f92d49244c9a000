package io.moxing.cli;

import io.moxing.bench.TrainBenchmark;
import io.moxing.core.UserException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", description = "Benchmarks: commands that print a table (and JSON with --json).",
        subcommands = {BenchCommand.Train.class})
final class BenchCommand {

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Training and inference throughput of a recipe, its MFU, and the ratio to PyTorch from Python.")
    static final class Train implements Runnable {
        @Parameters(index = "0", defaultValue = "cnn-28", description = "Recipe (default cnn-28).") String recipe;
        @Option(names = "--data", description = "Data set (default: the recipe's).") String data;
        @Option(names = "--rounds", defaultValue = "7", description = "Alternating timed rounds.") int rounds;
        @Option(names = "--steps", defaultValue = "300", description = "Training steps per round.") int steps;
        @Option(names = "--baseline", defaultValue = "bench/torch_cnn28.py", description = "PyTorch script.") Path baseline;
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
            }
            out.result(r);
        }
    }
}
