package io.moxing.automl;

import io.moxing.core.UserException;
import io.moxing.model.TestTimeAugmentation;
import io.moxing.registry.SearchProvenance;
import io.moxing.train.RunDirectory;
import io.moxing.train.RunRecord;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingInputs;
import io.moxing.train.TrainingJob;
import java.nio.file.Files;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The end of a search, fitted to the time it left. When trials saw a subset of the training split, the
 * winner's settings are trained again from scratch on all of it, for the epochs {@link FinalPlan} fits in the
 * remaining budget (the winner is the best-ranked trial that can have enough of them), on the validation split
 * too unless the request says otherwise ({@link FinalData}); otherwise the winner's trial run is trained on to the
 * top rung if that fits, and is the final model as it stands if not. Either way the test split stays sealed
 * through the training; then, and only then, it is unsealed for its one evaluation and the final run is registered with the search in its provenance. Resumable like the steps:
 * the plan is saved before its run exists, the run continues from its checkpoint, and a model already
 * registered by a run killed before the state was saved is found in its run record, not registered again.
 */
final class Finish {
    private final Search search;

    Finish(Search search) {
        this.search = search;
    }

    void run() {
        if (search.state().phase() != SearchState.Phase.FINISHING) return;
        if (search.state().finalTraining() == null) {
            search.state(search.state().withFinal(plan()));
            search.save();
        }
        SearchState.FinalTraining plan = search.state().finalTraining();
        Trial winner = search.state().trial(plan.trial());
        TrainingInputs trained;
        try {
            trained = train(plan, winner);
        } catch (UserException e) {
            if (!"diverged".equals(e.code())) throw e;
            if (plan.retrained()) {
                // the trial's own run was fine: it becomes the final model, as it stands
                search.log().printf("the final training of %s's settings diverged (%s); %s is registered as its trial"
                        + " trained it%n", winner.id(), e.getMessage(), winner.id());
                markFailed(plan.runId(), e.getMessage());
                plan = asTrained(winner, winner.epochs(), search.data().trialSamples());
                search.state(search.state().withFinal(plan));
                search.save();
                trained = search.data().forTrials();
            } else {
                // it diverged on its way to the top rung: the next best takes its place, with a plan of its own
                search.log().printf("%s diverged on its way to %d epochs: %s%n", winner.id(), plan.epochs(), e.getMessage());
                Trial next = search.leader();
                if (next == null) {
                    throw new UserException("search_failed", "search " + search.state().id()
                            + ": every trial failed; the last said: " + e.getMessage());
                }
                search.state(search.state().finishing(next.id(), search.state().stoppedByBudget()));
                search.save();
                run();
                return;
            }
        }
        search.data().endSelection();
        TrainResult r = registered(plan, winner, search.data().withTest(trained));
        SearchState s = search.state();
        List<Trial> trials = s.trials();
        int failed = (int) trials.stream().filter(t -> t.status() == Trial.Status.FAILED).count();
        int full = (int) trials.stream().filter(t -> t.status() == Trial.Status.COMPLETED).count();
        // a final model trained on the validation split has no validation accuracy of its own: the winner's stands
        Double validation = r.valAccuracy() != null || s.request().metric() != SearchMetric.ACCURACY ? r.valAccuracy()
                : winner.lastMetric();
        SearchResult result = new SearchResult(r.testAccuracy(), validation, trials.size(), trials.size() - full, failed,
                search.elapsed(), s.id(), s.request().model(), r.version(), winner.id(), plan.runId(), s.stoppedByBudget(),
                plan.retrained(), r.epochs(), plan.trainSamples(), plan.retrained() && search.data().finalValidationSamples() == 0,
                testTime(plan));
        search.state(s.done(result));
        search.save();
        search.log().printf("winner %s: validation accuracy %s, test accuracy %s (test-time augmentation: %s);"
                + " registered %s:%d%n", winner.id(), validation, r.testAccuracy(), result.testTimeAugmentation(),
                r.model(), r.version());
    }

    /** Decides the final model from the time left; saved before anything of it runs. */
    private SearchState.FinalTraining plan() {
        FinalPlan plan = search.plan();
        double left = search.remaining();
        Trial leader = search.state().trial(search.state().winner());
        if (plan.retrains()) {
            // the winner saved with the FINISHING phase is the leader, the first of the ranking
            var choice = plan.choose(search.ranked(), left, search.state().request().metric());
            if (choice.isPresent()) {
                Trial t = choice.get().trial();
                int epochs = choice.get().epochs();
                String run = TrainingJob.newRunId(t.settings().spec(search.shape(t.id(), "-final", epochs)));
                search.log().printf("final model: %s's settings trained again on all %,d samples (%s) for %d epochs"
                                + " (~%.0f s of the %.0f s left)%s%n", t.id(), plan.finalSamples(),
                        search.data().finalData().wireName(), epochs,
                        epochs * plan.finalEpochSeconds(t), left, t == leader ? "" : "; the leader " + leader.id()
                                + " (validation " + leader.lastMetric() + ") could have " + plan.epochsFitting(leader, left)
                                + " epochs, and " + t.id() + " (" + t.lastMetric() + ") is within one standard error of"
                                + " the best that can have " + plan.minEpochs());
                return new SearchState.FinalTraining(t.id(), true, epochs, run, plan.finalSamples(),
                        epochs * plan.finalEpochSeconds(t));
            }
            search.log().printf("final model: no leading trial fits %d epochs on all %,d training samples in the %.0f s"
                    + " left; %s is registered as its trial trained it%n", plan.minEpochs(), plan.finalSamples(), left, leader.id());
            return asTrained(leader, leader.epochs(), plan.trialSamples());
        }
        int top = search.state().asha().maxEpochs();
        double toTop = CostModel.finish(leader, top);
        int epochs = toTop <= left ? top : leader.epochs();
        search.log().printf("final model: %s trained on to %d epochs%n", leader.id(), epochs);
        return asTrained(leader, epochs, plan.trialSamples());
    }

    /** Leaves a final run that diverged marked so, not "running" forever. */
    private void markFailed(String runId, String why) {
        RunDirectory run = RunDirectory.existing(search.home().runs(), runId);
        RunRecord record = run.read();
        run.write(record.progress("failed", record.epochsCompleted(), record.trainingSeconds(),
                Map.of("error", why == null ? "diverged" : why)));
    }

    private static SearchState.FinalTraining asTrained(Trial trial, int epochs, int samples) {
        return new SearchState.FinalTraining(trial.id(), false, epochs, trial.runId(), samples,
                trial.secondsPerEpoch() * Math.max(0, epochs - trial.epochs()));
    }

    /** Runs the plan's training (nothing when the trial run is already there) and answers the data it trained on. */
    private TrainingInputs train(SearchState.FinalTraining plan, Trial winner) {
        TrainingJob job = new TrainingJob(search.home(), new PrintStream(PrintStream.nullOutputStream()), false);
        if (!plan.retrained()) {
            if (plan.epochs() > winner.epochs()) {
                search.step(new SearchState.Step(winner.id(), search.state().asha().rungs().size() - 1));
                Trial after = search.state().trial(winner.id());
                if (after.status() == Trial.Status.FAILED) throw new UserException("diverged", after.error());
            }
            return search.data().forTrials();
        }
        TrainingInputs data = search.data().forFinalTraining();
        long begun = System.nanoTime();
        if (!Files.isRegularFile(search.home().runs().resolve(plan.runId()).resolve("run.json"))) {
            job.startStage(plan.runId(), winner.settings().spec(search.shape(winner.id(), "-final", plan.epochs())),
                    search.state().request().model(), data, plan.epochs());
        } else if (!"completed".equals(RunDirectory.existing(search.home().runs(), plan.runId()).read().status())) {
            job.continueStage(plan.runId(), data, plan.epochs());
        }
        search.log().printf("final training: %d epochs in %.0f s (expected %.0f s)%n", plan.epochs(),
                (System.nanoTime() - begun) / 1e9, plan.expectedSeconds());
        return data;
    }

    /** Evaluates and registers the final run, unless it already did before a crash. */
    private TrainResult registered(SearchState.FinalTraining plan, Trial winner, TrainingInputs withTest) {
        RunRecord record = RunDirectory.existing(search.home().runs(), plan.runId()).read();
        Map<String, Object> done = record.result();
        if ("completed".equals(record.status()) && done != null && done.get("model_version") != null) {
            String ref = done.get("model_version").toString();
            return new TrainResult(record.id(), record.model(), Integer.valueOf(ref.substring(ref.lastIndexOf(':') + 1)),
                    null, record.epochsCompleted(), false, 0, null, number(done, "val_accuracy"), number(done, "test_accuracy"),
                    null, null, null, null, null, 0, null, record.trainingSeconds(), null, null, null);
        }
        TrainingJob job = new TrainingJob(search.home(), new PrintStream(PrintStream.nullOutputStream()), false);
        return job.finishStaged(plan.runId(), withTest, provenance(winner, plan), plan.epochs());
    }

    private SearchProvenance provenance(Trial winner, SearchState.FinalTraining plan) {
        SearchState s = search.state();
        List<SearchProvenance.Trial> trials = s.trials().stream().map(t -> new SearchProvenance.Trial(t.id(), t.runId(),
                Search.json(t.settings()), t.epochs(), t.lastMetric(), outcome(t))).toList();
        Asha asha = s.asha();
        String method = "asha(eta=" + asha.eta() + ", min_epochs=" + asha.minEpochs() + ", max_epochs=" + asha.maxEpochs()
                + ", rungs=" + asha.rungs() + ", one trial at a time, " + search.data().trialSamples()
                + " training samples per trial epoch), random sampling; final model: " + (plan.retrained()
                ? "the winner's settings trained again on " + plan.trainSamples() + " samples ("
                + s.request().finalData().wireName() + ") for " + plan.epochs() + " epochs, fitted to the budget left" : "the winner's trial run at " + plan.epochs() + " epochs");
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

    /**
     * What the final run decided about averaging with mirror images (its record says, with both validation
     * accuracies, and the training's own output said why); "none" for a spec that did not ask.
     */
    private String testTime(SearchState.FinalTraining plan) {
        Map<String, Object> done = RunDirectory.existing(search.home().runs(), plan.runId()).read().result();
        Object chosen = done == null ? null : done.get("test_time_augmentation");
        if (chosen == null) return TestTimeAugmentation.NONE.wireName();
        if (done.get("val_accuracy_as_is") != null) {
            search.log().printf("test-time augmentation: %s (validation accuracy %s as the images are, %s averaged with"
                    + " their mirror images)%n", chosen, done.get("val_accuracy_as_is"), done.get("val_accuracy_mirror_averaged"));
        }
        return chosen.toString();
    }

    private static Double number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : null;
    }
}
