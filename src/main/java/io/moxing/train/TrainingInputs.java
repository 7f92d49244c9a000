package io.moxing.train;

import io.moxing.core.Hashing;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetManifest;
import io.moxing.data.DatasetStore;
import io.moxing.data.Normalization;
import io.moxing.data.SplitData;
import io.moxing.model.CompiledModel;
import io.moxing.model.InlineData;
import io.moxing.model.ModelSpec;
import io.moxing.registry.DatasetRef;
import java.util.List;

/**
 * The data a run trains on, resolved and checked against the spec: either a stored data-set version
 * (train, validation and test splits) or the small data set written into the spec itself.
 */
public record TrainingInputs(DatasetRef ref, String kind, List<String> classes, Normalization normalization,
                             SplitData train, SplitData validation, SplitData test, InlineData inline) {

    public static TrainingInputs resolve(CompiledModel compiled, String datasetRef, Integer trainLimit, DatasetStore store) {
        ModelSpec spec = compiled.spec();
        if (datasetRef == null && spec.data() != null) {
            return inline(spec);
        }
        String ref = datasetRef != null ? datasetRef : spec.dataset();
        if (ref == null) {
            throw new UserException("missing_data", spec.name() + " has no data of its own; name a data set with --data NAME");
        }
        Dataset dataset = store.resolveOrImportKnown(ref);
        DatasetManifest m = dataset.manifest();
        check(compiled, m);
        SplitData train = dataset.load("train");
        if (trainLimit != null) {
            train = train.head(trainLimit);
        }
        return new TrainingInputs(new DatasetRef(m.name(), m.version(), m.sha256()), m.kind(), m.classes(),
                m.normalization(), train, dataset.hasSplit("validation") ? dataset.load("validation") : null,
                dataset.hasSplit("test") ? dataset.load("test") : null, null);
    }

    private static TrainingInputs inline(ModelSpec spec) {
        String sha = Hashing.sha256(Json.line(spec.data()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int width = spec.data().x()[0].length;
        if (!List.of(width).equals(spec.input())) {
            throw new UserException("wrong_shape", spec.name() + ": data.x rows have " + width
                    + " values but \"input\" is " + spec.input());
        }
        return new TrainingInputs(new DatasetRef("inline", sha.substring(0, 12), sha), "table", List.of(),
                Normalization.scaleOnly(1f), null, null, null, spec.data());
    }

    private static void check(CompiledModel compiled, DatasetManifest m) {
        ModelSpec spec = compiled.spec();
        if (!"image".equals(m.kind()) && !"table".equals(m.kind())) {
            throw new UserException("wrong_data_kind", "data set " + m.ref() + " is " + m.kind()
                    + "; " + spec.name() + " trains on images or tables");
        }
        if (!m.sampleShape().equals(spec.input())) {
            String hint = "image".equals(m.kind()) && m.sampleShape().size() == 3 && spec.input().size() == 3
                    ? "; re-import with --channels " + spec.input().get(0) + " --width " + spec.input().get(2) + " --height "
                    + spec.input().get(1) + ", or set the spec's \"input\" to " + m.sampleShape()
                    : "; set the spec's \"input\" to " + m.sampleShape();
            throw new UserException("wrong_shape", "data set " + m.ref() + " has samples of shape " + m.sampleShape()
                    + " but " + spec.name() + " expects " + spec.input() + hint);
        }
        boolean classifier = spec.task().equals("classification");
        if (classifier != m.isClassification()) {
            throw new UserException("wrong_task", spec.name() + " is a " + spec.task() + " model but data set " + m.ref()
                    + " is for " + m.task());
        }
        long outputs = compiled.outputShape().get(0);
        long expected = spec.loss().equals("binary_cross_entropy") ? 1 : classifier ? m.classes().size() : 1;
        if (outputs != expected) {
            throw new UserException("wrong_shape", spec.name() + " ends in " + outputs + " outputs but data set " + m.ref()
                    + (classifier ? " has " + m.classes().size() + " classes" : " has one target")
                    + "; set the last dense layer's \"units\" to " + expected);
        }
    }

    /** The split used for the final evaluation: test if there is one, else validation. */
    public SplitData evaluationSplit() {
        return test != null ? test : validation;
    }
}
