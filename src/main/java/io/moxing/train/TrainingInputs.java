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
import io.moxing.text.TokenCorpus;
import io.moxing.text.Tokenizer;
import java.util.List;

/**
 * The data a run trains on, resolved and checked against the spec: either a stored data-set version
 * (train, validation and test splits) or the small data set written into the spec itself.
 */
public record TrainingInputs(DatasetRef ref, String kind, List<String> classes, Normalization normalization,
                             SplitData train, SplitData validation, SplitData test, InlineData inline,
                             TokenCorpus tokens) {
    /** The split a run trains on unless its record names other samples ({@link RunRecord#trainedOn}). */
    public static final String TRAINING_SPLIT = "train";

    /**
     * The data for {@code spec}; for a language model also its token streams, encoded with
     * {@code tokenizer} when given (a resumed run's), else with one fitted on the training text.
     */
    public static TrainingInputs resolve(ModelSpec spec, String datasetRef, Integer trainLimit, DatasetStore store,
                                         Tokenizer tokenizer) {
        if (datasetRef == null && spec.data() != null) {
            return inline(spec);
        }
        String ref = datasetRef != null ? datasetRef : spec.dataset();
        if (ref == null) {
            throw new UserException("missing_data", spec.name() + " has no data of its own; name a data set with --data NAME");
        }
        Dataset dataset = store.resolveOrImportKnown(ref);
        DatasetManifest m = dataset.manifest();
        DatasetRef datasetRefRecord = new DatasetRef(m.name(), m.version(), m.sha256());
        if (spec.isLanguageModel() || "text".equals(m.kind())) {
            if (!spec.isLanguageModel() || !"text".equals(m.kind())) {
                throw new UserException("wrong_data_kind", "data set " + m.ref() + " is " + m.kind() + " but "
                        + spec.name() + " is a " + spec.task() + " model; language models train on text, other models on"
                        + " images or tables");
            }
            TokenCorpus corpus = tokenizer == null ? TokenCorpus.fit(dataset, spec.text()) : TokenCorpus.encode(dataset, tokenizer);
            if (trainLimit != null) {
                // a limit counts training windows, as it counts images for an image model
                int tokens = Math.min(corpus.train().length, trainLimit * spec.input().get(0) + 1);
                corpus = new TokenCorpus(corpus.tokenizer(), java.util.Arrays.copyOf(corpus.train(), tokens),
                        corpus.validation(), corpus.test());
            }
            return new TrainingInputs(datasetRefRecord, m.kind(), List.of(), Normalization.scaleOnly(1f), null, null, null,
                    null, corpus);
        }
        SplitData train = dataset.load(TRAINING_SPLIT);
        if (trainLimit != null) {
            train = train.head(trainLimit);
        }
        return new TrainingInputs(datasetRefRecord, m.kind(), m.classes(),
                m.normalization(), train, dataset.hasSplit("validation") ? dataset.load("validation") : null,
                dataset.hasSplit("test") ? dataset.load("test") : null, null, null);
    }

    private static TrainingInputs inline(ModelSpec spec) {
        String sha = Hashing.sha256(Json.line(spec.data()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int width = spec.data().x()[0].length;
        if (!List.of(width).equals(spec.input())) {
            throw new UserException("wrong_shape", spec.name() + ": data.x rows have " + width
                    + " values but \"input\" is " + spec.input());
        }
        return new TrainingInputs(new DatasetRef("inline", sha.substring(0, 12), sha), "table", List.of(),
                Normalization.scaleOnly(1f), null, null, null, spec.data(), null);
    }

    /** Checks that the compiled model's input and output fit the data; language models are fitted to theirs. */
    public void check(CompiledModel compiled, DatasetStore store) {
        if (inline != null || tokens != null) {
            return;
        }
        check(compiled, store.resolve(ref.name() + ":" + ref.version()).manifest());
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
        boolean classifier = spec.task().isClassification();
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
