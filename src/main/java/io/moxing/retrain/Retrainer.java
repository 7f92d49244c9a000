package io.moxing.retrain;

import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.data.DerivedDataset;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.eval.EvalResult;
import io.moxing.eval.Metrics;
import io.moxing.eval.ModelEvaluation;
import io.moxing.feedback.Corrections;
import io.moxing.feedback.FeedbackExport;
import io.moxing.model.ModelSpec;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.train.TrainOptions;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One retraining round of a deployment: the corrections given since the last round, minus a held-out fifth
 * (reported, never trained on: feedback can be sabotaged, so it informs but does not decide), are added to
 * the production model's data set as a new version; the production version is fine-tuned on it; both are
 * evaluated on the data set's validation split (the frozen gate set, which feedback never enters) and the
 * candidate replaces production only if the policy's gate passes. The test split is evaluated and reported,
 * never used to decide. Every round is recorded, promoted or not, with its evidence.
 */
public final class Retrainer {
    /** The share of corrections held out of training, to report how each version does on users' own cases. */
    static final int HELD_OUT_ONE_IN = 5;
    static final String CANARY = "canary";
    /** How far behind the present a round's feedback window ends. */
    public static final long COMMIT_MARGIN_MS = 2_000;
    private final MoxingHome home;
    private final FeedbackExport export;
    private final RetrainingStore store;
    private final Deployments deployments;
    private final ModelRegistry registry;
    private final PrintStream progress;

    public Retrainer(MoxingHome home, FeedbackExport export, RetrainingStore store, Deployments deployments,
                     PrintStream progress) {
        this.home = home;
        this.export = export;
        this.store = store;
        this.deployments = deployments;
        this.registry = new ModelRegistry(home.models());
        this.progress = progress;
    }

    /** Runs a round for {@code deployment} now, in this process, and returns what was decided. */
    public RetrainingDecision retrain(String deployment) {
        return retrain(deployment, RoundMemory.inProcess(progress));
    }

    /**
     * Runs or resumes a round for {@code deployment}. A resumed round takes the same feedback as its first
     * attempt (up to the remembered moment), which exports to the same data-set version, continues the same
     * fine-tuning run from its newest checkpoint (or takes the version it already registered), and returns
     * the decision already recorded if it got that far.
     */
    public RetrainingDecision retrain(String deployment, RoundMemory memory) {
        var decided = store.decision(memory.id());
        if (decided.isPresent()) return decided.get();
        RetrainingPolicy policy = store.policy(deployment).orElseThrow(() -> new UserException("unknown_policy",
                "'" + deployment + "' has no retraining policy; set one with moxing policy set " + deployment));
        // what this round decided to look at is fixed by its first attempt, never re-read from the live aliases
        Map<String, String> state = new java.util.HashMap<>(memory.recalled());
        if (state.isEmpty()) {
            state.put("from", Long.toString(store.feedbackWatermark(deployment)));
            // a feedback item's time is taken just before its insert commits: a cut-off a few seconds back leaves none
            // half-committed behind it (one committing late would fall before this round's end and after no other's start)
            state.put("to", Long.toString(System.currentTimeMillis() - COMMIT_MARGIN_MS));
            state.put("production", export.production(deployment).ref());
            deployments.find(deployment, CANARY).ifPresent(c -> state.put(CANARY, c.modelRef()));
            memory.remember(state);
        }
        long to = Long.parseLong(state.get("to"));
        long from = Long.parseLong(state.get("from"));
        ModelVersion production = registry.card(state.get("production"));
        Dataset base = export.base(production);
        Corrections.Collected collected = export.collect(deployment, base, from, to);
        List<Corrections.Correction> train = new ArrayList<>(), heldOut = new ArrayList<>();
        for (Corrections.Correction c : collected.corrections()) {
            (Math.floorMod(c.feedbackId().hashCode(), HELD_OUT_ONE_IN) == 0 ? heldOut : train).add(c);
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("policy", policy);
        evidence.put("labelled_feedback", collected.labelled());
        evidence.put("without_logged_input", collected.notLogged());
        if (state.containsKey(CANARY)) {
            return judgeCanary(memory, state, deployment, policy, production, state.get(CANARY), collected, evidence);
        }
        if ("canary_started".equals(state.get("stage"))) {
            // resumed after the canary was put in place: put it again (the same rows) and record the round
            startCanary(deployment, registry.card(state.get("candidate")).version(), policy.canary());
            evidence.put("stage", "canary");
            return decide(memory, deployment, production, state.get("candidate"), state.get("dataset"), false,
                    state.get("reason"), evidence, to);
        }
        evidence.put("corrections_trained", train.size());
        evidence.put("corrections_held_out", heldOut.size());
        if (train.isEmpty()) {
            return decide(memory, deployment, production, null, null, false, "no usable corrections since the last round ("
                    + collected.labelled() + " labelled, " + collected.notLogged() + " without a logged input)", evidence, to);
        }
        FeedbackExport.Exported data = export.write(deployment, deployment + "-feedback", base, collected, train);
        evidence.put("dataset", datasetEvidence(data.dataset()));
        String candidate = fineTune(memory, production, data, policy, heldOut.size());

        ModelEvaluation evaluation = new ModelEvaluation(home);
        EvalResult gateProduction = evaluation.run(production.ref(), data.ref(), "validation").result();
        EvalResult gateCandidate = evaluation.run(candidate, data.ref(), "validation").result();
        GateVerdict verdict = GateVerdict.judge(policy, gateProduction, gateCandidate);
        evidence.put("gate", verdict);
        evidence.put("gate_split", data.ref() + " validation (" + gateProduction.samples() + " samples)");
        if (base.hasSplit("test")) {
            evidence.put("test_production", summary(evaluation.run(production.ref(), data.ref(), "test").result()));
            evidence.put("test_candidate", summary(evaluation.run(candidate, data.ref(), "test").result()));
        }
        if (!heldOut.isEmpty()) {
            evidence.put("held_out_feedback_production", summary(onCorrections(production.ref(), heldOut).result()));
            evidence.put("held_out_feedback_candidate", summary(onCorrections(candidate, heldOut).result()));
        }
        if (verdict.passed() && policy.canary() != null) {
            String reason = "canary at " + policy.canary() + "% of traffic (promoted or retired after the next "
                    + policy.afterFeedback() + " corrections): " + verdict.reason();
            state.putAll(memory.recalled());
            state.putAll(Map.of("stage", "canary_started", "candidate", candidate, "dataset", data.ref(), "reason", reason));
            memory.remember(state);
            startCanary(deployment, registry.card(candidate).version(), policy.canary());
            evidence.put("stage", "canary");
            return decide(memory, deployment, production, candidate, data.ref(), false, reason, evidence, to);
        }
        if (verdict.passed()) promote(deployment, candidate, registry.card(candidate).version());
        return decide(memory, deployment, production, candidate, data.ref(), verdict.passed(),
                (verdict.passed() ? "promoted: " : "kept " + production.ref() + ": ") + verdict.reason(), evidence, to);
    }

    /**
     * The second half of a canary: the candidate passed the frozen gate to become a canary; now the same
     * rule is applied to the users' corrections that arrived while it served (both versions predict every
     * corrected row, whichever version answered it first). Only if the fresh corrections agree is it
     * promoted; otherwise it is retired. Sabotaged corrections can retire a good candidate, never promote a
     * bad one: it had to pass the gate first.
     */
    private RetrainingDecision judgeCanary(RoundMemory memory, Map<String, String> state, String deployment,
                                           RetrainingPolicy policy, ModelVersion production, String candidate,
                                           Corrections.Collected collected, Map<String, Object> evidence) {
        long from = Long.parseLong(state.get("from")), to = Long.parseLong(state.get("to"));
        evidence.put("stage", "canary judged");
        if (!"canary_judged".equals(state.get("stage"))) {
            // only rows predicted while the canary served: never the rows it was trained on, nor older ones relabelled
            List<Corrections.Correction> fresh = collected.corrections().stream().filter(c -> c.predictedAtMs() >= from).toList();
            evidence.put("corrections_judged", fresh.size());
            evidence.put("corrections_predicted_before_the_canary", collected.corrections().size() - fresh.size());
            GateVerdict verdict = null;
            SignTest sign = null;
            if (!fresh.isEmpty()) {
                Scored before = onCorrections(production.ref(), fresh);
                Scored after = onCorrections(candidate, fresh);
                verdict = GateVerdict.judge(policy, before.result(), after.result());
                // a few hundred corrections make a point's difference out of two or three rows: the advantage must
                // be more than chance too (sabotaged labels leave both versions near zero, a row or two apart)
                int better = 0, worse = 0;
                for (int i = 0; i < fresh.size(); i++) {
                    int label = fresh.get(i).sample().label();
                    boolean was = before.predicted()[i] == label, is = after.predicted()[i] == label;
                    if (is && !was) better++;
                    if (was && !is) worse++;
                }
                sign = SignTest.of(better, worse);
            }
            boolean promote = verdict != null && verdict.passed() && sign.significant();
            evidence.put("live", verdict);
            evidence.put("live_sign_test", sign);
            String reason = verdict == null ? "canary " + candidate + " retired: no usable corrections of rows it could have"
                    + " served arrived while it served"
                    : verdict.passed() && !promote ? String.format("canary %s retired: it was right on %d corrected rows"
                            + " production missed and wrong on %d it got, which chance explains (sign test p = %.3f; below 0.05"
                            + " needed)", candidate, sign.better(), sign.worse(), sign.pValue())
                    : (promote ? "canary " + candidate + " promoted: " : "canary " + candidate + " retired: ")
                    + verdict.reason().replace("on the gate set", "on the corrections given while it served")
                    + (promote ? String.format(" (sign test p = %.3g)", sign.pValue()) : "");
            state.putAll(Map.of("stage", "canary_judged", "promote", Boolean.toString(promote), "reason", reason));
            memory.remember(state);
        }
        boolean promote = Boolean.parseBoolean(state.get("promote"));
        // idempotent, so a round resumed after a crash in the middle ends the same way
        deployments.remove(deployment, CANARY);
        int version = promote ? registry.card(candidate).version() : production.version();
        deployments.find(deployment, "production").ifPresent(p -> deployments.put(new DeploymentTarget(deployment, "production",
                p.model(), version, 100, p.maxBatch(), p.maxDelayMs(), p.workers()), promote ? "canary promoted" : "canary retired"));
        return decide(memory, deployment, production, candidate, null, promote, state.get("reason"), evidence, to);
    }

    /** The candidate takes {@code share}% of the deployment's traffic beside production. */
    private void startCanary(String deployment, int version, int share) {
        DeploymentTarget p = deployments.find(deployment, "production").orElseThrow(() -> new UserException("unknown_deployment",
                "'" + deployment + "' lost its production alias during retraining"));
        deployments.put(new DeploymentTarget(deployment, CANARY, p.model(), version, share, p.maxBatch(), p.maxDelayMs(),
                p.workers()), "canary");
        deployments.put(new DeploymentTarget(deployment, "production", p.model(), p.version(), 100 - share, p.maxBatch(),
                p.maxDelayMs(), p.workers()), "canary");
    }

    /**
     * Fine-tunes every layer of production on the exported data and returns the registered candidate. The
     * run's id is remembered as soon as it exists: a resumed round continues that run from its newest
     * checkpoint, or takes the version it already registered.
     */
    private String fineTune(RoundMemory memory, ModelVersion production, FeedbackExport.Exported data,
                            RetrainingPolicy policy, int heldOut) {
        Map<String, String> recalled = memory.recalled();
        String runId = recalled.get("run");
        if (runId != null) {
            var registered = registry.list().stream().filter(v -> v.name().equals(production.name())
                    && runId.equals(v.runId())).findFirst();
            if (registered.isPresent()) {
                memory.log().printf("retraining: run %s had already registered %s%n", runId, registered.get().ref());
                return registered.get().ref();
            }
            memory.log().printf("retraining: resuming run %s%n", runId);
            TrainResult resumed = new TrainingJob(home, memory.log(), false, memory.observer(id -> { })).resume(runId);
            return production.name() + ":" + resumed.version();
        }
        memory.log().printf("retraining %s: fine-tuning %s on %s (%d corrections added, %d held out)%n",
                data.deployment(), production.ref(), data.ref(), data.dataset().added(), heldOut);
        ModelSpec spec = ModelSpec.parse(registry.provenance(production.ref()).spec().toString(), production.ref())
                .withAllLayersFrom(production.ref()).withOverrides(policy.epochs(), null, null, null);
        Map<String, String> withRun = new java.util.HashMap<>(recalled);
        TrainResult trained = new TrainingJob(home, memory.log(), false, memory.observer(id -> {
            withRun.put("run", id);
            memory.remember(withRun);
        })).start(spec, new TrainOptions(data.ref(), production.name(), null, true));
        return production.name() + ":" + trained.version();
    }

    /** The candidate takes the production alias; the server loads it before it takes traffic. */
    private void promote(String deployment, String candidate, int version) {
        DeploymentTarget current = deployments.find(deployment, "production")
                .orElseThrow(() -> new UserException("unknown_deployment", "'" + deployment + "' lost its production alias"
                        + " during retraining; " + candidate + " is registered but not deployed"));
        deployments.put(new DeploymentTarget(deployment, "production", current.model(), version, current.weight(),
                current.maxBatch(), current.maxDelayMs(), current.workers()), "retrained");
    }

    private RetrainingDecision decide(RoundMemory memory, String deployment, ModelVersion production, String candidate,
                                      String dataset, boolean promoted, String reason, Map<String, Object> evidence, long to) {
        RetrainingDecision d = new RetrainingDecision(memory.id(), deployment, System.currentTimeMillis(),
                production.ref(), candidate, dataset, promoted, reason, evidence, to);
        store.record(d);
        memory.log().printf("retraining %s: %s%n", deployment, reason);
        return d;
    }

    /** A model's evaluation on rows, and the class it predicted for each. */
    private record Scored(EvalResult result, int[] predicted) {}

    /** A model's evaluation on corrected rows (their user-given labels), in the model's own input units. */
    private Scored onCorrections(String modelRef, List<Corrections.Correction> corrections) {
        try (LoadedModel model = LoadedModel.load(registry.resolve(modelRef))) {
            ModelVersion card = model.card();
            int size = corrections.get(0).sample().values().length;
            float[] x = new float[corrections.size() * size];
            float[] y = new float[corrections.size()];
            for (int i = 0; i < corrections.size(); i++) {
                DerivedDataset.Extra e = corrections.get(i).sample();
                System.arraycopy(e.values(), 0, x, i * size, size);
                y[i] = e.label();
            }
            int channelStride = card.inputShape().size() == 3 ? size / card.inputShape().get(0) : 1;
            card.normalization().apply(x, size, channelStride);
            float[][] outputs = model.predict(x, corrections.size());
            int[] predicted = new int[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                for (int k = 1; k < outputs[i].length; k++) if (outputs[i][k] > outputs[i][predicted[i]]) predicted[i] = k;
            }
            return new Scored(Metrics.of("corrections", y, outputs, card.classes()), predicted);
        }
    }

    private static Map<String, Object> summary(EvalResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", r.samples());
        m.put("accuracy", r.accuracy());
        m.put("macro_f1", r.macroF1());
        return m;
    }

    private static Map<String, Object> datasetEvidence(DerivedDataset.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", r.manifest().ref());
        m.put("base", r.base());
        m.put("offered", r.offered());
        m.put("added", r.added());
        m.put("already_in_validation", r.inValidation());
        m.put("already_in_test", r.inTest());
        m.put("repeated", r.repeated());
        return m;
    }
}
