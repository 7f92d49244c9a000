package io.moxing.cli;

import io.moxing.demo.FeedbackLoopDemo;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Scenarios on real data, in a scratch data directory and on their own port (your models are not touched).",
        subcommands = {DemoCommand.FeedbackLoop.class})
final class DemoCommand {
    private DemoCommand() {}

    @Command(name = "feedback-loop", mixinStandardHelpOptions = true,
            description = "Damage Fashion-MNIST's Shirt class, train and serve cnn-28, let simulated users correct it through"
                    + " the API, retrain behind the gate; then sabotage the feedback and watch the gate refuse it.")
    static final class FeedbackLoop implements Runnable {
        @Option(names = "--port", defaultValue = "0", description = "Port of the demo's server (default: a free one).") int port;
        @Option(names = "--seed", defaultValue = "42") long seed;
        @Option(names = "--kept-percent", defaultValue = "5", description = "Share of the Shirt training images kept (100: no"
                + " damage, to measure what the damage costs).") int keptPercent;
        @Option(names = "--keep", description = "Keep the scratch data directory (its path is printed).") boolean keep;
        @Option(names = "--json", description = "Print the result as one JSON object on the last line.") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            Path scratch = FeedbackLoopDemo.scratch();
            FeedbackLoopDemo.Result r;
            try {
                r = new FeedbackLoopDemo(json ? System.err : System.out, port, seed, keptPercent).run(scratch);
            } finally {
                if (!keep) FeedbackLoopDemo.delete(scratch);
            }
            out.line("");
            out.line("damage: %s", r.damage());
            out.line("%-28s %8s %8s", "test accuracy", "before", "after");
            out.line("%-28s %8.4f %8.4f", "overall", r.overallBefore(), r.overallAfter());
            out.line("%-28s %8.4f %8.4f", "class Shirt (recall)", r.damagedClassBefore(), r.damagedClassAfter());
            out.line("round 1 (%d corrections from %d predictions): %s", r.round1Corrections(), r.round1Predictions(),
                    r.round1Reason());
            out.line("round 2 (%d sabotaged labels): %s", r.round2Sabotaged(), r.round2Reason());
            out.line("production is now %s; %.0f s in all%s", r.productionAfter(), r.seconds(),
                    keep ? "; data kept in " + scratch : "");
            out.result(r);
        }
    }
}
