package io.moxing.automl;

import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetManifest;
import io.moxing.data.SplitData;
import io.moxing.registry.DatasetRef;
import io.moxing.train.TrainingInputs;

/**
 * The only way a search reaches its data, and the guard that keeps selection honest: trials get the
 * training and validation splits; the test split is refused (an {@link IllegalStateException}) until
 * {@link #endSelection} says the winner is chosen, and is then handed out for the final model's one
 * evaluation. Trials may see only the first {@code searchLimit} training samples (a cheaper fidelity); the
 * final model is then trained again on all of them, and on the validation split too when the request says so
 * ({@link FinalData}): selection is over by then. (When trials see every training sample, the winner's trial run,
 * validated at each epoch, is the final model, and the validation split stays a validation split.) Splits are
 * loaded once and kept, since every trial step needs the same arrays.
 */
public final class SearchData {
    private final Dataset dataset;
    private final Integer trainLimit;
    private final Integer searchLimit;
    private final FinalData finalData;
    private SplitData train;
    private SplitData trialTrain;
    private SplitData validation;
    private boolean selectionOver;
    private int testReads;

    public SearchData(Dataset dataset, Integer trainLimit, Integer searchLimit, FinalData finalData) {
        DatasetManifest m = dataset.manifest();
        if (!"image".equals(m.kind()) && !"table".equals(m.kind()) || !m.isClassification()) {
            throw new UserException("wrong_data_kind", "automl searches classifiers of images or tables; " + m.ref()
                    + " is " + m.kind() + " for " + m.task());
        }
        if (!dataset.hasSplit("validation")) {
            throw new UserException("no_validation_split", "automl selects on the validation split and " + m.ref()
                    + " has none; import it again with --validation-fraction 0.1");
        }
        this.dataset = dataset;
        this.trainLimit = trainLimit;
        this.searchLimit = searchLimit;
        this.finalData = finalData;
    }

    /** The data of {@code request}'s search on {@code dataset}. */
    static SearchData of(Dataset dataset, SearchRequest request) {
        return new SearchData(dataset, request.trainLimit(), request.searchLimit(), request.finalData());
    }

    public DatasetManifest manifest() {
        return dataset.manifest();
    }

    /** The data every trial trains and is judged on: (the first part of) the training split and the validation split. */
    public synchronized TrainingInputs forTrials() {
        load();
        return inputs(trialTrain);
    }

    /**
     * The data the final model trains on: the whole training split (up to the user's limit) and the validation split,
     * as training samples or to validate each epoch on.
     */
    public synchronized TrainingInputs forFinalTraining() {
        load();
        return trainsOnValidation() ? inputs(train.followedBy(validation, "train+validation"), null) : inputs(train);
    }

    /** Whether trials see fewer training samples than the final model will. */
    public synchronized boolean trialsSeeASubset() {
        load();
        return trialTrain.count() < train.count();
    }

    public synchronized int trialSamples() {
        load();
        return trialTrain.count();
    }

    /** Training samples of a final epoch. */
    public synchronized int finalSamples() {
        load();
        return train.count() + (trainsOnValidation() ? validation.count() : 0);
    }

    /** Validation samples predicted after each final epoch (none when they are trained on). */
    public synchronized int finalValidationSamples() {
        load();
        return trainsOnValidation() ? 0 : validation.count();
    }

    /** Whether the final model is trained again (trials saw a subset) and on the validation samples too. */
    private boolean trainsOnValidation() {
        load();
        return finalData == FinalData.TRAIN_AND_VALIDATION && trialTrain.count() < train.count();
    }

    public FinalData finalData() {
        return finalData;
    }

    public synchronized int validationSamples() {
        load();
        return validation.count();
    }

    private void load() {
        if (train == null) {
            SplitData all = dataset.load("train");
            train = trainLimit == null ? all : all.head(trainLimit);
            trialTrain = searchLimit == null ? train : train.head(searchLimit);
            validation = dataset.load("validation");
        }
    }

    private TrainingInputs inputs(SplitData trainingSamples) {
        return inputs(trainingSamples, validation);
    }

    private TrainingInputs inputs(SplitData trainingSamples, SplitData validatedOn) {
        DatasetManifest m = dataset.manifest();
        return new TrainingInputs(new DatasetRef(m.name(), m.version(), m.sha256()), m.kind(), m.classes(),
                m.normalization(), trainingSamples, validatedOn, null, null, null);
    }

    /** The test split; refused while the search is still choosing. */
    public synchronized SplitData test() {
        if (!selectionOver) {
            throw new IllegalStateException("the test split of " + dataset.manifest().ref()
                    + " is sealed until the search has chosen its winner: selection uses the validation split only");
        }
        testReads++;
        return dataset.hasSplit("test") ? dataset.load("test") : null;
    }

    /** The data {@code trained} was trained on and, now, the test split for its one evaluation. */
    public TrainingInputs withTest(TrainingInputs trained) {
        return new TrainingInputs(trained.ref(), trained.kind(), trained.classes(), trained.normalization(), trained.train(),
                trained.validation(), test(), null, null);
    }

    /** The winner is chosen: from now on the test split may be read. */
    public synchronized void endSelection() {
        selectionOver = true;
    }

    public synchronized boolean selectionOver() {
        return selectionOver;
    }

    /** How many times the test split was handed out. */
    public synchronized int testReads() {
        return testReads;
    }
}
