package io.moxing.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContaminationTest {
    @Test
    void readsTheMachinesTicksAndTheBusyOnesFromProcStat() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] ticks = Contamination.machineTicks("cpu  100 5 20 800 30 2 3 40 0 0");
        assertArrayEquals(new long[] {1000, 130}, ticks);
    }

    @Test
    void aBusyProcessCountsAsOtherUnlessItIsTheBaseline() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(300);
            Contamination undeclared = new Contamination();
            undeclared.begin(-1);
            Thread.sleep(1500);
            undeclared.end();
            Contamination declared = new Contamination();
            declared.begin(busy.pid());
            Thread.sleep(1500);
            declared.end();
            double oneCore = 1.0 / Runtime.getRuntime().availableProcessors();
            assertTrue(undeclared.otherCpuShare() > 0.6 * oneCore,
                    "a busy loop beside us is other processes' CPU: " + undeclared.otherCpuShare());
            assertTrue(declared.otherCpuShare() < undeclared.otherCpuShare() - 0.4 * oneCore,
                    "declared as the baseline it is not: " + declared.otherCpuShare() + " vs " + undeclared.otherCpuShare());
            assertNotNull(declared.baselineSystemCpuShare());
            assertTrue(undeclared.warnings().stream().anyMatch(w -> w.contains("other processes")), undeclared.warnings()::toString);
        } finally {
            busy.destroyForcibly();
            busy.waitFor();
        }
    }

    @Test
    void aBaselineThatRunsSlowerAlternatingThanAloneIsReported() {
        AlternatingRounds.Outcome outcome = new AlternatingRounds.Outcome(List.of(100.0, 110.0, 105.0),
                List.of(60.0, 62.0, 61.0), List.of(100.0, 98.0, 102.0));
        Fairness fairness = Fairness.of(outcome, new Contamination(), true);
        assertEquals(100.0, fairness.baselineStandalonePerSecond());
        assertEquals(0.61, fairness.baselineAlternatingToStandalone(), 1e-9);
        assertTrue(fairness.warnings().stream().anyMatch(w -> w.contains("alternation distorts")), fairness.warnings()::toString);
        Fairness fair = Fairness.of(new AlternatingRounds.Outcome(List.of(100.0), List.of(95.0), List.of(100.0)),
                new Contamination(), true);
        assertTrue(fair.warnings().isEmpty(), fair.warnings()::toString);
        assertTrue(fair.baselineAllocator().contains("MALLOC_MMAP_THRESHOLD_="), fair.baselineAllocator());
    }
}
