package io.moxing.cli;

import io.moxing.retrain.RetrainingDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Run a retraining round now: fine-tune production on its corrections, gate, promote or keep.")
final class RetrainCommand implements Runnable {
    @Mixin LoopOptions common;
    @Parameters(index = "0", description = "The deployment (it needs a policy: moxing policy set).") String deployment;

    @Override
    public void run() {
        RetrainingDecision d = LoopOptions.retrainer(Main.home(), common.database(), common.json ? System.err : System.out)
                .retrain(deployment);
        Output out = common.out();
        out.line(d.promoted() ? "promoted %s" : "kept %s", d.promoted() ? d.candidate() : d.production());
        out.result(d);
    }
}
