package io.moxing.automl;

import io.moxing.core.Json;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A search from request to registered model. Each step trains one trial up to a rung (a run of
 * {@link TrainingJob}, staged: the run pauses at the rung's epoch and a promotion continues it from its
 * checkpoint), and the state is saved atomically before and after every step, so a search killed at any
 * moment resumes ({@link #resume}) redoing at most the step under way. New work starts only while the
 * remaining budget is expected to fit it and the end of the search ({@link FinalPlan}: the winner's settings
 * trained again on all the training data, or the winner's trial run finished); {@link Finish} then trains the
 * final model, unseals the test split for its one evaluation and registers it.
 */
public final class Search {
    private final MoxingHome home;
    private final SearchStore store;
    private final PrintStream log;
    private SearchState state;
    private SearchData data;
    private long sessionStart;
    private double elapsedBefore;

    public Search(MoxingHome home, PrintStream log) {
        this.home = home;
        this.store = new SearchStore(home.root().resolve("automl"));
        this.log = log;
    }

    /** Starts a new search on the data set the request names. */
    public SearchResult start(SearchRequest request) {
        Dataset dataset = new DatasetStore(home.datasets()).resolveOrImportKnown(request.dataset());
        Integer trialSamples = request.searchLimit() != null || !"image".equals(dataset.manifest().kind()) ? request.searchLimit()
                : Integer.valueOf(SearchRequest.DEFAULT_IMAGE_SEARCH_LIMIT);
        SearchRequest resolved = request.resolved(request.model(), trialSamples);
        return start(resolved, SearchData.of(dataset, resolved));
    }

    /** Starts a new search that reaches its data through {@code access} (tests hold on to it). */
    public SearchResult start(SearchRequest request, SearchData access) {
        var m = access.manifest();
        String model = request.model() != null ? request.model() : ("automl-" + m.name()).substring(0,
                Math.min(48, ("automl-" + m.name()).length()));
        SearchRequest named = request.resolved(model, request.searchLimit());
        SearchSpace space = "image".equals(m.kind()) ? SearchSpace.Images.standard(request.maxWidth())
                : SearchSpace.Tables.standard();
        String id = m.name() + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + String.format("%04x", new Random().nextInt(1 << 16));
        state = new SearchState(SearchState.FORMAT_VERSION, id, named, m.name() + ":" + m.version(), space,
                new Asha(3, 1, request.maxEpochs()), List.of(), List.of(), null, 0, SearchState.Phase.SEARCHING, false,
                null, null, Instant.now().toString(), null);
        store.save(state);
        log.printf("search %s: %s on %s, budget %ds, rungs %s epochs on %,d training samples%s%n", id,
                space.getClass().getSimpleName().toLowerCase(), state.datasetVersion(), request.budgetSeconds(),
                state.asha().rungs(), access.trialSamples(), access.trialsSeeASubset()
                        ? String.format("; the winner is trained again on all %,d (%s)", access.finalSamples(),
                        access.finalData().wireName()) : "");
        return run(access);
    }

    /** Continues a search where it stopped; a finished search answers its result again. */
    public SearchResult resume(String id) {
        state = store.load(id);
        if (state.phase() == SearchState.Phase.DONE) {
            return state.result();
        }
        Dataset dataset = new DatasetStore(home.datasets()).resolve(state.datasetVersion());
        log.printf("search %s: resuming with %d trials done, %.0f s of %d s spent%n", id, state.trials().size(),
                state.elapsedSeconds(), state.request().budgetSeconds());
        return run(SearchData.of(dataset, state.request()));
    }

    public SearchStore store() {
        return store;
    }

    private SearchResult run(SearchData access) {
        this.data = access;
        this.sessionStart = System.nanoTime();
        this.elapsedBefore = state.elapsedSeconds();
        if (state.phase() == SearchState.Phase.SEARCHING) {
            search();
        }
        new Finish(this).run();
        SearchReport.write(store.directory(state.id()), state, home.runs());
        return state.result();
    }

    private void search() {
        if (state.inFlight() != null) {
            log.printf("redoing the interrupted step: %s to rung %d%n", state.inFlight().trial(), state.inFlight().rung());
            step(state.inFlight());
        }
        Asha asha = state.asha();
        boolean byBudget = false;
        while (true) {
            FinalPlan plan = plan();
            Optional<Asha.Promotion> promotion = asha.nextPromotion(state.trials(), state.promotions(), state.request().metric(),
                    t -> !plan.retrains() || plan.affordable(t.secondsPerEpoch()));
            Integer cap = state.request().maxTrials();
            if (promotion.isEmpty() && cap != null && state.trials().size() >= cap) break;
            Trial next = promotion.isPresent() ? state.trial(promotion.get().trial()) : draw();
            double cost = promotion.isPresent() ? CostModel.promotion(next, asha.epochsAt(promotion.get().rung()))
                    : CostModel.newTrial(state.trials(), next.forwardFlops(), asha.epochsAt(0));
            double reserve = plan.retrains() ? plan.reserve(leader()) : CostModel.finish(leader(), asha.maxEpochs());
            if (cost + reserve > remaining()) {
                log.printf("budget: %.0f s left, the next step needs ~%.0f s and finishing the leader ~%.0f s: stopping%n",
                        remaining(), cost, reserve);
                byBudget = true;
                break;
            }
            SearchState.Step step;
            if (promotion.isPresent()) {
                state = state.promoted(promotion.get()).with(next.running());
                step = new SearchState.Step(next.id(), promotion.get().rung());
            } else {
                state = state.with(next);
                step = new SearchState.Step(next.id(), 0);
            }
            state = state.inFlight(step);
            save();
            step(step);
        }
        Trial winner = leader();
        if (winner == null) {
            throw new UserException("search_failed", "search " + state.id() + ": no trial finished a step"
                    + (state.trials().isEmpty() ? "; the budget is too small to train one (give more --budget)" : "; see "
                    + state.trials().get(0).error()));
        }
        state = state.finishing(winner.id(), byBudget);
        save();
    }

    /**
     * A new trial, drawn from a generator of its own index: a resumed search draws the same trials. When the
     * winner will be trained again, settings whose final training could not have its fewest epochs in the
     * time kept back are drawn again (up to 50 times; then the cheapest drawn is taken): on 2 cores the
     * space's widest networks need minutes per epoch, and a 10-minute search must not pick one.
     */
    private Trial draw() {
        int index = state.trials().size();
        Random random = new Random(mix(state.request().seed(), index));
        String id = String.format("t%03d", index);
        FinalPlan plan = plan();
        Trial cheapest = null;
        double cheapestCost = Double.MAX_VALUE;
        for (int attempt = 0; attempt < 50; attempt++) {
            TrialSettings settings = state.space().sample(random);
            long flops = SpecCompiler.compile(settings.spec(shape(id))).forwardFlops();
            Trial drawn = Trial.created(id, settings, flops);
            double epoch = CostModel.newTrial(state.trials(), flops, 1);
            if (!plan.retrains() || plan.affordable(epoch)) return drawn;
            if (epoch < cheapestCost) {
                cheapest = drawn;
                cheapestCost = epoch;
            }
        }
        return cheapest;
    }

    FinalPlan plan() {
        return FinalPlan.of(state.request(), data, state.asha().maxEpochs());
    }

    /**
     * A well-spread seed for trial {@code index}: java.util.Random's first draws from neighbouring seeds
     * are correlated (seeds 5000015 and 5000016 both drew AdamW first, six times in a row), so the
     * pair goes through MurmurHash3's 64-bit finaliser first.
     */
    static long mix(long seed, int index) {
        long h = seed * 0x9E3779B97F4A7C15L + index;
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    TrialSettings.TrialShape shape(String trialId) {
        return shape(trialId, "", state.asha().maxEpochs());
    }

    /** The frame of a trial's spec: its name (with {@code suffix}), the data's shape, {@code epochs} and the trial's seed. */
    TrialSettings.TrialShape shape(String trialId, String suffix, int epochs) {
        var m = data.manifest();
        return new TrialSettings.TrialShape(state.request().model() + "-" + trialId + suffix, m.sampleShape(),
                m.classes().size(), epochs, state.request().seed() * 1000 + Integer.parseInt(trialId.substring(1)),
                state.request().testTimeAugmentation());
    }

    /** Trains the step's trial to the step's rung and records what it measured (or that it failed). */
    void step(SearchState.Step step) {
        Trial trial = state.trial(step.trial());
        int epochs = state.asha().epochsAt(step.rung());
        long begun = System.nanoTime();
        ModelSpec spec = trial.settings().spec(shape(trial.id()));
        if (trial.runId() == null) {
            // the run's id is saved before the run exists: a crash in between leaves no run the search does not know
            trial = trial.withRun(TrainingJob.newRunId(spec));
            state = state.with(trial);
            save();
        }
        TrainingJob job = new TrainingJob(home, new PrintStream(PrintStream.nullOutputStream()), false);
        Trial after;
        try {
            TrainResult r = Files.isRegularFile(home.runs().resolve(trial.runId()).resolve("run.json"))
                    ? job.continueStage(trial.runId(), data.forTrials(), epochs)
                    : job.startStage(trial.runId(), spec, state.request().model(), data.forTrials(), epochs);
            Double metric = state.request().metric() == SearchMetric.ACCURACY ? r.valAccuracy() : r.valLoss();
            double seconds = (System.nanoTime() - begun) / 1e9;
            after = state.trial(trial.id()).reached(new Trial.RungResult(step.rung(), r.epochs(), metric, seconds),
                    state.asha().isLast(step.rung()));
            log.printf("%s  rung %d (%2d epochs)  %s %s  %6.1f s  %s%n", trial.id(), step.rung(), r.epochs(),
                    state.request().metric().field(), metric == null ? "-" : String.format("%.4f", metric), seconds,
                    trial.settings().describe());
        } catch (UserException e) {
            // a diverged or otherwise impossible trial is a bad trial, not a failed search
            after = state.trial(trial.id()).failed(e.getMessage());
            log.printf("%s  failed: %s%n", trial.id(), e.getMessage());
        }
        state = state.with(after).inFlight(null);
        save();
    }

    /** The best trial so far: the highest rung reached, then the best metric there; null before any. */
    Trial leader() {
        List<Trial> ranked = ranked();
        return ranked.isEmpty() ? null : ranked.get(0);
    }

    /** Trials with a result, best first: the highest rung reached, then the best metric there. */
    List<Trial> ranked() {
        return state.trials().stream().filter(t -> t.status() != Trial.Status.FAILED && t.lastMetric() != null)
                .sorted(FinalPlan.ranking(state.request().metric())).toList();
    }

    double elapsed() {
        return elapsedBefore + (System.nanoTime() - sessionStart) / 1e9;
    }

    double remaining() {
        return state.request().budgetSeconds() - elapsed();
    }

    void save() {
        state = state.elapsed(elapsed());
        store.save(state);
    }

    SearchState state() {
        return state;
    }

    void state(SearchState changed) {
        state = changed;
    }

    SearchData data() {
        return data;
    }

    MoxingHome home() {
        return home;
    }

    PrintStream log() {
        return log;
    }

    /** For reports: the space as JSON. */
    static com.fasterxml.jackson.databind.JsonNode json(Object value) {
        return Json.MAPPER.valueToTree(value);
    }
}
