package io.moxing.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.billing.Actor;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Plan;
import io.moxing.core.AtomicFiles;
import io.moxing.core.MoxingHome;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.data.DerivedDataset;
import io.moxing.data.Permutations;
import io.moxing.deploy.DeploymentRequests;
import io.moxing.eval.EvalResult;
import io.moxing.eval.ModelEvaluation;
import io.moxing.feedback.FeedbackExport;
import io.moxing.feedback.FeedbackSeal;
import io.moxing.http.ModelServer;
import io.moxing.http.ServeOptions;
import io.moxing.model.Templates;
import io.moxing.predict.InputDecoder;
import io.moxing.registry.ModelRegistry;
import io.moxing.retrain.GateMetric;
import io.moxing.retrain.Retrainer;
import io.moxing.retrain.RetrainingDecision;
import io.moxing.retrain.RetrainingPolicy;
import io.moxing.retrain.RetrainingWatch;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.store.SqlDeployments;
import io.moxing.store.SqlFeedback;
import io.moxing.store.SqlRetraining;
import io.moxing.train.TrainOptions;
import io.moxing.train.TrainResult;
import io.moxing.train.TrainingJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code moxing demo feedback-loop}: the closed loop on real data. Fashion-MNIST is imported into a scratch
 * data directory with its "Shirt" class damaged (all but {@value #SHIRTS_KEPT_PERCENT}% of the Shirt training
 * images left out; what that costs the class, and how the outcome varies between runs, is in docs/BENCHMARKS.md) and {@value #WORLD} training images held out as "the world": images the model never
 * trained on and that are in neither the gate set (validation) nor the test split. cnn-28 is trained on the
 * damaged data and served on its own port with a prediction log and a retraining policy. Simulated users
 * of a tenant predict world images through the HTTP API and send the true class back where the model was
 * wrong; the server's retraining watch fine-tunes, gates and promotes. A second round of users sabotages
 * (every label they send is wrong), and the gate must reject what it produces.
 */
public final class FeedbackLoopDemo {
    static final int WORLD = 20_000;
    static final int SHIRTS_KEPT_PERCENT = 5;
    static final int ROUND1_IMAGES = 15_000;
    static final int ROUND2_IMAGES = 5_000;
    static final String DAMAGED_CLASS = "Shirt";
    static final String DEPLOYMENT = "fashion";
    /** Fashion-MNIST's class indices of the two classes the saboteurs swap. */
    private static final int T_SHIRT = 0, SHIRT = 6;
    private static final Actor DEMO = new Actor("demo", "feedback-loop");

    /** What the demo measured; accuracies are on the test split, in [0, 1]. */
    public record Result(
            String damage,
            @JsonProperty("damaged_class_before") double damagedClassBefore,
            @JsonProperty("damaged_class_after") double damagedClassAfter,
            @JsonProperty("overall_before") double overallBefore,
            @JsonProperty("overall_after") double overallAfter,
            @JsonProperty("round1_promoted") boolean round1Promoted,
            @JsonProperty("round1_reason") String round1Reason,
            @JsonProperty("round1_corrections") int round1Corrections,
            @JsonProperty("round1_predictions") int round1Predictions,
            @JsonProperty("sabotage_rejected") boolean sabotageRejected,
            @JsonProperty("round2_reason") String round2Reason,
            @JsonProperty("round2_sabotaged_labels") int round2Sabotaged,
            @JsonProperty("production_after") String productionAfter,
            Map<String, Double> seconds_by_step,
            double seconds) {}

    private final PrintStream progress;
    private final int port;
    private final long seed;
    private final int shirtsKeptPercent;

    /** @param shirtsKeptPercent how much of the damaged class to keep (100: no damage, to measure what the damage costs) */
    public FeedbackLoopDemo(PrintStream progress, int port, long seed, int shirtsKeptPercent) {
        if (shirtsKeptPercent < 1 || shirtsKeptPercent > 100 || 100 % shirtsKeptPercent != 0) {
            throw new io.moxing.core.UserException("invalid_option", "--kept-percent must divide 100 (1, 2, 4, 5, 10, 20, 25,"
                    + " 50 or 100)");
        }
        this.progress = progress;
        this.port = port;
        this.seed = seed;
        this.shirtsKeptPercent = shirtsKeptPercent;
    }

    /** Runs the scenario in {@code scratch} (a new directory: nothing outside it is touched). */
    public Result run(Path scratch) {
        long begun = System.nanoTime();
        Map<String, Double> steps = new LinkedHashMap<>();
        MoxingHome home = new MoxingHome(scratch);
        DatasetStore store = new DatasetStore(home.datasets());
        step("importing Fashion-MNIST into " + scratch);
        Dataset fashion = store.resolveOrImportKnown("fashion-mnist");
        List<String> classes = fashion.manifest().classes();
        int damaged = classes.indexOf(DAMAGED_CLASS);
        if (damaged != SHIRT || !classes.get(T_SHIRT).startsWith("T-shirt")) {
            throw new IllegalStateException("Fashion-MNIST's classes are not in the expected order: " + classes);
        }
        Photos train = new Photos(fashion, "train");

        // the world: training images no model here trains on; the rest, with most shirts left out, is the data
        int[] order = Permutations.of(train.count(), seed);
        int[] world = Arrays.copyOf(order, WORLD);
        boolean[] keep = new boolean[train.count()];
        int shirtsSeen = 0;
        for (int k = WORLD; k < order.length; k++) {
            int i = order[k];
            keep[i] = train.label(i) != damaged || shirtsSeen++ % (100 / shirtsKeptPercent) == 0;
        }
        String damage = String.format("%d%% of the '%s' training images kept (the rest left out); %d training images held"
                + " out as the world", shirtsKeptPercent, DAMAGED_CLASS, WORLD);
        Dataset data = store.resolve(DerivedDataset.write(home.datasets(), "fashion-damaged", fashion, i -> keep[i], List.of(),
                "Fashion-MNIST, damaged: " + damage, Map.of("damage", damage), Map.of()).manifest().ref());
        steps.put("data", seconds(begun));

        step("training cnn-28 on " + data.manifest().ref() + " (" + data.manifest().splits().get("train") + " images)");
        TrainResult first = new TrainingJob(home, progress, false).start(
                Templates.load("cnn-28").withOverrides(3, null, null, seed),
                new TrainOptions(data.manifest().ref(), "cnn-28", null, true));
        String v1 = "cnn-28:" + first.version();
        ModelEvaluation evaluation = new ModelEvaluation(home);
        EvalResult before = evaluation.run(v1, data.manifest().ref(), "test").result();
        steps.put("train", seconds(begun));

        Database db = Database.open(null, home.database());
        SqlDeployments deployments = new SqlDeployments(db);
        SqlFeedback feedback = new SqlFeedback(db);
        SqlRetraining retraining = new SqlRetraining(db);
        ModelRegistry registry = new ModelRegistry(home.models());
        feedback.setLogDays(DEPLOYMENT, 30);
        deployments.put(DeploymentRequests.target(v1, DEPLOYMENT, "production", 100, 32, 2, 1, registry));
        retraining.setPolicy(new RetrainingPolicy(DEPLOYMENT, 200, GateMetric.ACCURACY, 0.5, 3.0, null, 2));
        BillingAdmin billing = SqlBilling.open(db);
        billing.createPlan(DEMO, Plan.free("demo", 1_000_000, 1_000, 2_000));
        billing.createTenant(DEMO, "shop", "A shop's app", "demo", System.currentTimeMillis() - 1000);
        String key = billing.issueKey(DEMO, "shop", "app", null, null, null, null, System.currentTimeMillis()).plaintext();
        Retrainer retrainer = new Retrainer(home, new FeedbackExport(feedback, FeedbackSeal.of(home), registry,
                home.datasets(), deployments), retraining, deployments, progress);
        RetrainingWatch watch = new RetrainingWatch(deployment -> {
            retrainer.retrain(deployment);
            return true;
        }, retraining, feedback);
        ServeOptions options = new ServeOptions("127.0.0.1", port, 8L << 20, 60_000, 1024, 200)
                .withMaxImagePixels(InputDecoder.DEFAULT_MAX_IMAGE_PIXELS);
        RetrainingDecision round1, round2;
        SimulatedUsers.Round used1, used2;
        try (ModelServer server = new ModelServer(home, deployments, options, billing, feedback, null).start()) {
            SimulatedUsers users = new SimulatedUsers("http://127.0.0.1:" + server.port(), key, DEPLOYMENT);
            step("round 1: users predict " + ROUND1_IMAGES + " world images on port " + server.port()
                    + " and correct the wrong answers");
            used1 = users.use(train, Arrays.copyOfRange(world, 0, ROUND1_IMAGES), classes,
                    (truth, guess) -> truth == guess ? -1 : truth);
            progress.printf("  %d predicted, %d wrong, %d corrections sent%n", used1.predicted(), used1.wrong(), used1.feedback());
            steps.put("round1_users", seconds(begun));
            round1 = check(watch, retraining);
            steps.put("round1_retraining", seconds(begun));

            step("round 2: users predict " + ROUND2_IMAGES + " more world images and sabotage: every label they send is wrong");
            used2 = users.use(train, Arrays.copyOfRange(world, ROUND1_IMAGES, ROUND1_IMAGES + ROUND2_IMAGES), classes,
                    FeedbackLoopDemo::sabotage);
            progress.printf("  %d predicted, %d wrong labels sent%n", used2.predicted(), used2.feedback());
            steps.put("round2_users", seconds(begun));
            round2 = check(watch, retraining);
            steps.put("round2_retraining", seconds(begun));
        }
        String production = deployments.find(DEPLOYMENT, "production").orElseThrow().modelRef();
        EvalResult after = evaluation.run(production, data.manifest().ref(), "test").result();
        return new Result(damage, recall(before, damaged), recall(after, damaged), before.accuracy(), after.accuracy(),
                round1.promoted(), round1.reason(), used1.feedback(), used1.predicted(), !round2.promoted(), round2.reason(),
                used2.feedback(), production, steps, seconds(begun));
    }

    /** Runs the server's retraining check as its timer would, and returns the round it decided. */
    private RetrainingDecision check(RetrainingWatch watch, SqlRetraining retraining) {
        int before = retraining.decisions(DEPLOYMENT, 1000).size();
        try {
            // a round takes the feedback given until a moment just behind it: let the users' last corrections age into it
            Thread.sleep(io.moxing.retrain.Retrainer.COMMIT_MARGIN_MS + 200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watch.check();
        List<RetrainingDecision> decisions = retraining.decisions(DEPLOYMENT, 1000);
        if (decisions.size() != before + 1) {
            throw new IllegalStateException("the retraining policy did not run a round (see the lines above)");
        }
        return decisions.get(0);
    }

    /** A saboteur's label: shirts called T-shirts and T-shirts shirts, everything else the next class along. */
    static int sabotage(int truth, int guess) {
        if (truth == SHIRT) return T_SHIRT;
        if (truth == T_SHIRT) return SHIRT;
        return (truth + 1) % 10;
    }

    private static double recall(EvalResult r, int classIndex) {
        return r.perClass().get(classIndex).recall();
    }

    private void step(String what) {
        progress.println("== " + what);
    }

    private static double seconds(long begun) {
        return Math.round((System.nanoTime() - begun) / 1e8) / 10.0;
    }

    /** A new scratch directory for a run. */
    public static Path scratch() {
        try {
            return Files.createTempDirectory("moxing-demo-feedback-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path scratch) {
        AtomicFiles.deleteRecursively(scratch);
    }
}
