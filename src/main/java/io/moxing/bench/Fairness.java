package io.moxing.bench;

import ai.djl.engine.Engine;
import io.moxing.core.BuildInfo;
import io.moxing.core.DeepLearning;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reader needs to trust a ratio to PyTorch: the machine, both sides' versions and allocator
 * settings, the baseline's standalone figure beside its alternating one, and how clean the timed rounds
 * were. Unwrapped into each bench's JSON.
 */
public record Fairness(String processor, int cores, String djlVersion, String libtorchVersion, String moxingAllocator,
                String baselineAllocator, Double baselineStandalonePerSecond, Double baselineAlternatingToStandalone,
                double otherCpuShare, double systemCpuShare, Double baselineSystemCpuShare, List<String> warnings) {

    /** How far the alternating baseline may stray from its standalone median before the bench says so. */
    static final double ALTERNATION_TOLERANCE = 0.20;

    static Fairness of(AlternatingRounds.Outcome outcome, Contamination meter, boolean baselineRan) {
        Engine engine = DeepLearning.engine();
        Double standalone = outcome.standalone().isEmpty() ? null : TrainBenchmark.median(outcome.standalone());
        Double agreement = standalone == null || outcome.theirs().isEmpty() ? null
                : TrainBenchmark.median(outcome.theirs()) / standalone;
        List<String> warnings = new ArrayList<>(meter.warnings());
        if (agreement != null && Math.abs(agreement - 1) > ALTERNATION_TOLERANCE) {
            warnings.add(String.format("the alternating baseline ran at %.2fx its standalone median: the alternation "
                    + "distorts it, so the ratio is not like with like", agreement));
        }
        return new Fairness(BuildInfo.current().cpu(), BuildInfo.current().cores(), Engine.getDjlVersion(),
                engine.getVersion(), PythonBaseline.allocatorSettings(System.getenv()),
                baselineRan ? PythonBaseline.baselineAllocator() : null, standalone, agreement,
                meter.otherCpuShare(), meter.systemCpuShare(), meter.baselineSystemCpuShare(), warnings);
    }
}
