package io.moxing.cli;

import io.moxing.automl.Search;
import io.moxing.automl.FinalData;
import io.moxing.model.TestTimeAugmentation;
import io.moxing.automl.SearchMetric;
import io.moxing.automl.SearchReport;
import io.moxing.automl.SearchRequest;
import io.moxing.automl.SearchResult;
import io.moxing.automl.SearchState;
import io.moxing.automl.SearchStore;
import io.moxing.core.UserException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "automl", mixinStandardHelpOptions = true, subcommands = {AutomlCommand.Show.class, AutomlCommand.ListSearches.class},
        description = "Search model specs and training settings within a wall-clock budget (ASHA) and register the best.")
final class AutomlCommand implements Runnable {
    @Option(names = "--data", description = "Data set NAME or NAME:VERSION: images or a table, with a validation split.") String data;
    @Option(names = "--budget", description = "Wall-clock budget: 90s, 60m, 2h, 1h30m (a bare number is minutes).") String budget;
    @Option(names = "--metric", defaultValue = "accuracy", description = "Selection metric on the validation split: accuracy or loss.")
    String metric;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--max-epochs", defaultValue = "9", description = "Epochs of the top rung (R); rungs are 1, 3, 9, … epochs.")
    int maxEpochs;
    @Option(names = "--trials", description = "Draw at most N trials (default: as many as the budget allows).") Integer trials;
    @Option(names = "--limit", description = "Use the first N training samples only, trials and final model alike.") Integer limit;
    @Option(names = "--search-limit", description = "Trials train on the first N training samples; the winner is then trained"
            + " again on all of them for the epochs the budget leaves (default for images: 10000; tables: all).")
    Integer searchLimit;
    @Option(names = "--max-final-epochs", defaultValue = "" + SearchRequest.DEFAULT_MAX_FINAL_EPOCHS,
            description = "Most epochs of that final training (default: ${DEFAULT-VALUE}; the time kept back, at most half"
                    + " the budget, is the usual limit).")
    int maxFinalEpochs;
    @Option(names = "--final-data", description = "What the winner is trained again on once selection is over: train"
            + " (default; the final run keeps its validation curve) or train+validation (the validation split, having chosen"
            + " the winner, trains it too: 11% more images, no validation curve).") String finalData;
    @Option(names = "--test-time-augmentation", description = "auto (default): a winner trained on flipped images"
            + " averages each prediction with its mirror image's when that is better on the validation split (twice the"
            + " compute per image); none: never.") String testTime;
    @Option(names = "--max-width", defaultValue = "128", description = "Widest convolution the image space offers.") int maxWidth;
    @Option(names = "--name", description = "Registry name of the winner (default: automl-DATA).") String name;
    @Option(names = "--resume", description = "Continue an interrupted search by its id.") String resume;
    @Option(names = "--json", description = "Print the result as JSON on the last line.") boolean json;

    @Override
    public void run() {
        Output out = new Output(System.out, json);
        Search search = new Search(Main.home(), System.err);
        SearchResult result;
        if (resume != null) {
            if (data != null || budget != null || trials != null || limit != null || searchLimit != null || name != null
                    || finalData != null || testTime != null) {
                throw new UserException("invalid_option", "--resume continues a search as it was started;"
                        + " give only its id (moxing automl --resume SEARCH)");
            }
            result = search.resume(resume);
        } else {
            if (data == null || budget == null) {
                throw new UserException("missing_option", "name the data and the budget, e.g. moxing automl --data"
                        + " fashion-mnist --budget 60m");
            }
            result = search.start(new SearchRequest(data, name, SearchMetric.parse(metric), SearchRequest.parseBudget(budget),
                    seed, maxEpochs, trials, limit, maxWidth, searchLimit, maxFinalEpochs,
                    finalData == null ? null : FinalData.parse(finalData), testTimeOption()));
        }
        out.line("search %s: %d trials (%d stopped early, %d failed) in %.0f s%s", result.search(), result.trials(),
                result.stoppedEarly(), result.failed(), result.seconds(), result.stoppedByBudget() ? ", stopped by the budget" : "");
        out.line("winner %s: %s; validation accuracy %s%s, test accuracy %s", result.winner(), result.retrained()
                        ? String.format("trained again on %,d samples for %d epochs (run %s)", result.finalTrainSamples(),
                        result.finalEpochs(), result.winnerRun()) : String.format("its trial run at %d epochs (run %s)",
                        result.finalEpochs(), result.winnerRun()),
                format(result.bestValidationAccuracy()), result.trainedOnValidation() ? " (its trial's, on which it was chosen)" : "",
                format(result.bestTestAccuracy()));
        out.line("registered %s:%d", result.model(), result.version());
        out.line("report: %s", search.store().directory(result.search()).resolve("report.html"));
        out.result(result);
    }

    static String format(Double v) {
        return v == null ? "-" : String.format("%.4f", v);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A search's leaderboard; draws every trial's validation curve (PNG and HTML).")
    static final class Show implements Runnable {
        @Parameters(index = "0", description = "The search's id.") String id;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            SearchStore store = new SearchStore(Main.home().root().resolve("automl"));
            SearchState state = store.load(id);
            SearchReport.write(store.directory(id), state, Main.home().runs());
            out.line("search %s on %s: %s, %d trials, %.0f s of %d s, rungs %s epochs", state.id(), state.datasetVersion(),
                    state.phase().wireName(), state.trials().size(), state.elapsedSeconds(), state.request().budgetSeconds(),
                    state.asha().rungs());
            List<SearchReport.Row> rows = SearchReport.leaderboard(state);
            for (SearchReport.Row r : rows) {
                out.line("%-5s %-13s %3d epochs  %s %s  %s", r.trial(), r.status(), r.epochs(),
                        state.request().metric().field(), format(r.metric()), r.settings());
            }
            SearchState.FinalTraining f = state.finalTraining();
            if (f != null) {
                out.line("final model: %s", f.retrained() ? String.format("%s's settings trained again on %,d samples for %d"
                        + " epochs (run %s)", f.trial(), f.trainSamples(), f.epochs(), f.runId())
                        : String.format("%s's trial run at %d epochs", f.trial(), f.epochs()));
            }
            out.line("curves: %s", store.directory(id).resolve("curves.png"));
            out.line("report: %s", store.directory(id).resolve("report.html"));
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("search", state);
            shown.put("leaderboard", rows);
            out.result(shown);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List searches, oldest first.")
    static final class ListSearches implements Runnable {
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            SearchStore store = new SearchStore(Main.home().root().resolve("automl"));
            List<String> ids = store.ids();
            for (String id : ids) {
                SearchState s = store.load(id);
                out.line("%-45s %-9s %3d trials  %.0f/%d s", id, s.phase().wireName(), s.trials().size(), s.elapsedSeconds(),
                        s.request().budgetSeconds());
            }
            out.result(Map.of("searches", ids));
        }
    }

    /** --test-time-augmentation as the request takes it: null (the default, auto), auto or none. */
    private TestTimeAugmentation testTimeOption() {
        if (testTime == null) return null;
        if (!testTime.equals("auto") && !testTime.equals("none")) {
            throw new UserException("invalid_option", "--test-time-augmentation '" + testTime + "' must be auto or none");
        }
        return TestTimeAugmentation.parse(testTime, "--test-time-augmentation");
    }
}
