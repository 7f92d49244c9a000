package io.moxing.cli;

import io.moxing.core.UserException;
import io.moxing.retrain.GateMetric;
import io.moxing.retrain.RetrainingDecision;
import io.moxing.retrain.RetrainingPolicy;
import io.moxing.store.SqlRetraining;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Retraining policies: when a deployment is fine-tuned from feedback, and what promotes the result.",
        subcommands = {PolicyCommand.Set.class, PolicyCommand.Show.class, PolicyCommand.History.class})
final class PolicyCommand {
    private PolicyCommand() {}

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a deployment's retraining policy (a running"
            + " server retrains once enough labelled feedback has arrived).")
    static final class Set implements Runnable {
        @Mixin LoopOptions common;
        @Parameters(index = "0", description = "The deployment.") String deployment;
        @Option(names = "--after-feedback", required = true, description = "Retrain after this many new labelled feedback items.")
        int afterFeedback;
        @Option(names = "--metric", defaultValue = "accuracy", description = "accuracy or macro-f1, on the gate set.") String metric;
        @Option(names = "--min-gain", defaultValue = "0.5", description = "Least gain of the metric, in percentage points.")
        double minGain;
        @Option(names = "--max-class-drop", defaultValue = "2.0",
                description = "Largest drop of any class's F1, in percentage points.") double maxClassDrop;
        @Option(names = "--epochs", defaultValue = "2", description = "Fine-tuning epochs from the production version.") int epochs;
        @Option(names = "--canary", description = "Traffic share (percent) a candidate that passes the gate takes first; the"
                + " next round promotes or retires it by the same rule on the corrections given meanwhile.") Integer canary;

        @Override
        public void run() {
            var database = common.database();
            boolean deployed = new io.moxing.store.SqlDeployments(database).find(deployment, "production").isPresent();
            if (!deployed) {
                throw new UserException("unknown_deployment", "'" + deployment + "' has no production alias; deploy it first"
                        + " (moxing deploy MODEL --name " + deployment + ")");
            }
            RetrainingPolicy p = new RetrainingPolicy(deployment, afterFeedback, GateMetric.parse(metric), minGain, maxClassDrop,
                    canary, epochs);
            new SqlRetraining(database).setPolicy(p);
            Output out = common.out();
            out.line("%s: retrain after %d labelled feedback items; promote when %s gains >= %.2f points and no class's F1"
                    + " drops > %.2f points%s", deployment, afterFeedback, p.metric().wireName(), minGain, maxClassDrop,
                    canary == null ? "" : ", through a " + canary + "% canary");
            out.result(p);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A deployment's policy.")
    static final class Show implements Runnable {
        @Mixin LoopOptions common;
        @Parameters(index = "0") String deployment;

        @Override
        public void run() {
            RetrainingPolicy p = new SqlRetraining(common.database()).policy(deployment).orElseThrow(() -> new UserException(
                    "unknown_policy", "'" + deployment + "' has no retraining policy; set one with moxing policy set"));
            Output out = common.out();
            out.line("%s: after %d labelled items, %s +%.2f points, class F1 drop <= %.2f points, %d epochs", deployment,
                    p.afterFeedback(), p.metric().wireName(), p.minGain(), p.maxClassDrop(), p.epochs());
            out.result(p);
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every retraining round and what it decided.")
    static final class History implements Runnable {
        @Mixin LoopOptions common;
        @Parameters(index = "0") String deployment;
        @Option(names = "--limit", defaultValue = "20") int limit;

        @Override
        public void run() {
            List<RetrainingDecision> all = new SqlRetraining(common.database()).decisions(deployment, limit);
            Output out = common.out();
            if (all.isEmpty()) out.line("no retraining rounds yet for " + deployment);
            all.forEach(d -> out.line("%s  %-9s production %s, candidate %s: %s", Instant.ofEpochMilli(d.atMs()),
                    d.promoted() ? "PROMOTED" : "kept", d.production(), d.candidate() == null ? "-" : d.candidate(), d.reason()));
            out.result(Map.of("decisions", all));
        }
    }
}
