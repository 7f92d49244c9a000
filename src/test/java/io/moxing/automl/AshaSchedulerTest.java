package io.moxing.automl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ASHA with made-up metrics: which trial is promoted at each rung, and when a new one is drawn instead. */
class AshaSchedulerTest {
    private final Asha asha = new Asha(3, 1, 9);

    @Test
    void rungsGrowByTheReductionFactorUpToTheMaximum() {
        assertEquals(List.of(1, 3, 9), asha.rungs());
        assertEquals(List.of(1, 3, 9, 10), new Asha(3, 1, 10).rungs());
        assertEquals(List.of(1), new Asha(3, 1, 1).rungs());
        assertEquals(List.of(2, 4, 5), new Asha(2, 2, 5).rungs());
    }

    @Test
    void promotesTheTopThirdOfEachRungAsSoonAsItExists() {
        // validation accuracy of each trial at rungs 0 (1 epoch), 1 (3 epochs) and 2 (9 epochs)
        Map<String, double[]> metric = Map.of(
                "t0", new double[] {0.50}, "t1", new double[] {0.70, 0.72}, "t2", new double[] {0.60},
                "t3", new double[] {0.80, 0.85}, "t4", new double[] {0.55}, "t5", new double[] {0.65},
                "t6", new double[] {0.90, 0.88, 0.91}, "t7", new double[] {0.40}, "t8", new double[] {0.75, 0.70});
        List<Trial> trials = new ArrayList<>();
        List<Asha.Promotion> promotions = new ArrayList<>();
        List<String> work = new ArrayList<>();
        while (true) {
            Optional<Asha.Promotion> next = asha.nextPromotion(trials, promotions, SearchMetric.ACCURACY);
            if (next.isPresent()) {
                Asha.Promotion p = next.get();
                promotions.add(p);
                Trial t = find(trials, p.trial());
                trials.set(trials.indexOf(t), t.running().reached(new Trial.RungResult(p.rung(), asha.epochsAt(p.rung()),
                        metric.get(t.id())[p.rung()], 1), asha.isLast(p.rung())));
                work.add(p.trial() + "->" + p.rung());
            } else if (trials.size() < 9) {
                String id = "t" + trials.size();
                trials.add(Trial.created(id, null, 0).reached(new Trial.RungResult(0, 1, metric.get(id)[0], 1), false));
                work.add(id);
            } else {
                break;
            }
        }
        // t2 completes rung 0's first third (t1); t3 tops it; t6 tops rung 0 and then rung 1 at once; t8 is third of nine
        assertEquals(List.of("t0", "t1", "t2", "t1->1", "t3", "t3->1", "t4", "t5", "t6", "t6->1", "t6->2", "t7", "t8", "t8->1"),
                work);
        assertEquals(List.of(Trial.Status.COMPLETED), trials.stream().map(Trial::status).filter(s -> s != Trial.Status.PAUSED)
                .toList(), "only t6 reached 9 epochs; the rest stopped early");
        assertEquals(Trial.Status.COMPLETED, find(trials, "t6").status());
    }

    @Test
    void aLossIsBetterLowAndFailedOrRunningTrialsAreNeverPromoted() {
        List<Trial> trials = new ArrayList<>(List.of(
                Trial.created("a", null, 0).reached(new Trial.RungResult(0, 1, 0.9, 1), false),
                Trial.created("b", null, 0).reached(new Trial.RungResult(0, 1, 0.3, 1), false),
                Trial.created("c", null, 0).reached(new Trial.RungResult(0, 1, 0.6, 1), false)));
        assertEquals(Optional.of(new Asha.Promotion("b", 1)), asha.nextPromotion(trials, List.of(), SearchMetric.LOSS));
        assertEquals(Optional.of(new Asha.Promotion("a", 1)), asha.nextPromotion(trials, List.of(), SearchMetric.ACCURACY));
        trials.set(0, trials.get(0).failed("diverged"));
        assertTrue(asha.nextPromotion(trials, List.of(), SearchMetric.ACCURACY).isEmpty(), "a failed best is not promoted");
        trials.set(1, trials.get(1).running());
        assertTrue(asha.nextPromotion(trials, List.of(), SearchMetric.LOSS).isEmpty(), "nor one training now");
    }

    @Test
    void aTrialTheSearchCouldNotUseKeepsItsRankButIsNotPromoted() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            trials.add(Trial.created("t" + i, null, 0).reached(new Trial.RungResult(0, 1, 0.5 + i / 100.0, 1), false));
        }
        // top third of six: t5, t4; t5 is too slow to be trained again in the time kept back
        assertEquals(Optional.of(new Asha.Promotion("t4", 1)),
                asha.nextPromotion(trials, List.of(), SearchMetric.ACCURACY, t -> !t.id().equals("t5")));
        assertTrue(asha.nextPromotion(trials, List.of(new Asha.Promotion("t4", 1)), SearchMetric.ACCURACY,
                t -> !t.id().equals("t5")).isEmpty(), "t3 does not move up into the slot t5 holds");
    }

    private static Trial find(List<Trial> trials, String id) {
        return trials.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }
}
