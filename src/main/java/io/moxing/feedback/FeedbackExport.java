package io.moxing.feedback;

import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.data.DerivedDataset;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code moxing feedback export DEPLOYMENT --as DATASET}: a new data-set version made of the base version
 * (by default the one the deployment's production model was trained on) and the corrected rows, with a
 * {@code feedback.json} naming every feedback and prediction id it took, so the data can be traced back to
 * the users' corrections.
 */
public final class FeedbackExport {
    public static final String PROVENANCE_FILE = "feedback.json";

    /** The version made, and what happened to the labelled feedback. */
    public record Exported(String deployment, DerivedDataset.Result dataset, int labelled, int notLogged) {
        public String ref() {
            return dataset.manifest().ref();
        }

        /** As the CLI and a job's result show it. */
        public Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", ref());
            m.put("base", dataset.base());
            m.put("labelled", labelled);
            m.put("not_logged", notLogged);
            m.put("added", dataset.added());
            m.put("in_validation", dataset.inValidation());
            m.put("in_test", dataset.inTest());
            m.put("repeated", dataset.repeated());
            m.put("splits", dataset.manifest().splits());
            return m;
        }
    }

    private final FeedbackStore store;
    private final FeedbackSeal seal;
    private final ModelRegistry registry;
    private final DatasetStore datasets;
    private final Path datasetsRoot;
    private final Deployments deployments;

    public FeedbackExport(FeedbackStore store, FeedbackSeal seal, ModelRegistry registry, Path datasetsRoot,
                          Deployments deployments) {
        this.store = store;
        this.seal = seal;
        this.registry = registry;
        this.datasetsRoot = datasetsRoot;
        this.datasets = new DatasetStore(datasetsRoot);
        this.deployments = deployments;
    }

    /** The model version serving the deployment's production alias. */
    public ModelVersion production(String deployment) {
        DeploymentTarget t = deployments.find(deployment, "production")
                .orElseThrow(() -> new UserException("unknown_deployment", "'" + deployment + "' has no production alias;"
                        + " see moxing deployments"));
        return registry.card(t.modelRef());
    }

    /** The data set the deployment's production model was trained on, or {@code baseRef} when given. */
    public Dataset base(String deployment, String baseRef) {
        return baseRef != null ? datasets.resolve(baseRef) : base(production(deployment));
    }

    /** The data set a model version was trained on. */
    public Dataset base(ModelVersion card) {
        io.moxing.registry.DatasetRef ref = registry.provenance(card.ref()).dataset();
        if (ref == null || "inline".equals(ref.name())) {
            throw new UserException("no_base_dataset", card.ref() + " was not trained on a stored data set; name one with --base");
        }
        return datasets.resolve(ref.name() + ":" + ref.version());
    }

    /** Every labelled correction of the deployment given in [fromMs, toMs). */
    public Corrections.Collected collect(String deployment, Dataset base, long fromMs, long toMs) {
        return Corrections.collect(store, seal, registry, deployment, base.manifest().classes(), fromMs, toMs);
    }

    /** Writes {@code base} plus {@code corrections} as a version of {@code asName}. */
    public Exported write(String deployment, String asName, Dataset base, Corrections.Collected collected,
                          List<Corrections.Correction> corrections) {
        if (corrections.isEmpty()) {
            throw new UserException("no_feedback", "'" + deployment + "' has no usable corrections (" + collected.labelled()
                    + " labelled, " + collected.notLogged() + " without a logged input; deploy with --log-inputs to keep inputs)");
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("deployment", deployment);
        provenance.put("base", base.manifest().ref());
        provenance.put("corrections", corrections.stream().map(c -> Map.of("feedback_id", c.feedbackId(),
                "prediction_id", c.predictionId(), "model_version", c.modelVersion())).toList());
        Map<String, String> derivation = new LinkedHashMap<>();
        derivation.put("feedback_deployment", deployment);
        derivation.put("feedback_corrections", Integer.toString(corrections.size()));
        DerivedDataset.Result result = DerivedDataset.write(datasetsRoot, asName, base,
                corrections.stream().map(Corrections.Correction::sample).toList(),
                "feedback on " + deployment + " added to " + base.manifest().ref(), derivation,
                Map.of(PROVENANCE_FILE, Json.pretty(provenance).getBytes(StandardCharsets.UTF_8)));
        return new Exported(deployment, result, collected.labelled(), collected.notLogged());
    }

    /** Collects every correction of the deployment and writes them with the base as {@code asName}. */
    public Exported export(String deployment, String asName, String baseRef) {
        Dataset base = base(deployment, baseRef);
        Corrections.Collected collected = collect(deployment, base, 0, Long.MAX_VALUE);
        return write(deployment, asName, base, collected, collected.corrections());
    }
}
