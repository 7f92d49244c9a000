package io.moxing.automl;

import io.moxing.registry.SearchProvenance;
import io.moxing.train.RunDirectory;
import io.moxing.train.RunRecord;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The end of a search: the winner is trained on to full fidelity (a step like the others, on the
 * validation split alone), then, and only then, the test split is unsealed for its one evaluation and the
 * winner is registered with the search in its provenance. Resumable like the steps: a winner already
 * registered by a run that was killed before the state was saved is found in its run record, not
 * registered again.
 */
final class Finish {
    private final Search search;

    Finish(Search search) {
        this.search = search;
    }

    void run() {
        if (search.state().phase() != SearchState.Phase.FINISHING) return;
        Trial winner = search.state().trial(search.state().winner());
        int last = search.state().asha().rungs().size() - 1;
        if (winner.status() != Trial.Status.COMPLETED && winner.status() != Trial.Status.FAILED) {
            SearchState.Step step = new SearchState.Step(winner.id(), last);
            search.state(search.state().with(winner.running()).inFlight(step));
            search.save();
            search.log().printf("finishing the winner %s to %d epochs%n", winner.id(), search.state().asha().maxEpochs());
            search.step(step);
            winner = search.state().trial(winner.id());
        }
        if (winner.status() == Trial.Status.FAILED) {
            // it diverged on the way to full fidelity: the next best takes its place
            Trial next = search.leader();
            if (next == null) {
                throw new io.moxing.core.UserException("search_failed", "search " + search.state().id()
                        + ": every trial failed; the last said: " + winner.error());
            }
            search.state(search.state().finishing(next.id(), search.state().stoppedByBudget()));
            search.save();
            run();
            return;
        }
        search.data().endSelection();
        TrainResult r = registered(winner);
        SearchState s = search.state();
        List<Trial> trials = s.trials();
        int failed = (int) trials.stream().filter(t -> t.status() == Trial.Status.FAILED).count();
        int full = (int) trials.stream().filter(t -> t.status() == Trial.Status.COMPLETED).count();
        SearchResult result = new SearchResult(r.testAccuracy(), r.valAccuracy(), trials.size(), trials.size() - full, failed,
                search.elapsed(), s.id(), s.request().model(), r.version(), winner.id(), winner.runId(), s.stoppedByBudget());
        search.state(s.done(result));
        search.save();
        search.log().printf("winner %s: validation accuracy %s, test accuracy %s; registered %s:%d%n", winner.id(),
                r.valAccuracy(), r.testAccuracy(), r.model(), r.version());
    }

    /** Evaluates and registers the winner, unless its run already did before a crash. */
    private TrainResult registered(Trial winner) {
        RunRecord record = RunDirectory.existing(search.home().runs(), winner.runId()).read();
        Map<String, Object> done = record.result();
        if ("completed".equals(record.status()) && done != null && done.get("model_version") != null) {
            String ref = done.get("model_version").toString();
            return new TrainResult(record.id(), record.model(), Integer.valueOf(ref.substring(ref.lastIndexOf(':') + 1)),
                    null, record.epochsCompleted(), false, 0, null, number(done, "val_accuracy"), number(done, "test_accuracy"),
                    null, null, null, null, null, 0, null, record.trainingSeconds(), null, null, null);
        }
        TrainingJob job = new TrainingJob(search.home(), new PrintStream(PrintStream.nullOutputStream()), false);
        return job.finishStaged(winner.runId(), search.data().forFinalModel(), provenance(winner));
    }

    private SearchProvenance provenance(Trial winner) {
        SearchState s = search.state();
        List<SearchProvenance.Trial> trials = s.trials().stream().map(t -> new SearchProvenance.Trial(t.id(), t.runId(),
                Search.json(t.settings()), t.epochs(), t.lastMetric(), outcome(t))).toList();
        Asha asha = s.asha();
        String method = "asha(eta=" + asha.eta() + ", min_epochs=" + asha.minEpochs() + ", max_epochs=" + asha.maxEpochs()
                + ", rungs=" + asha.rungs() + ", one trial at a time), random sampling";
        return new SearchProvenance(s.id(), method, s.request().metric().field(), s.request().budgetSeconds(),
                search.elapsed(), s.request().seed(), Search.json(s.space()), trials, winner.id(),
                Search.json(winner.settings()));
    }

    static String outcome(Trial t) {
        return switch (t.status()) {
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            default -> "stopped_early";
        };
    }

    private static Double number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : null;
    }
}
