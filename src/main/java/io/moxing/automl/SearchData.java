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
 * evaluation. Splits are loaded once and kept, since every trial step needs the same arrays.
 */
public final class SearchData {
    private final Dataset dataset;
    private final Integer trainLimit;
    private SplitData train;
    private SplitData validation;
    private boolean selectionOver;
    private int testReads;

    public SearchData(Dataset dataset, Integer trainLimit) {
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
    }

    public DatasetManifest manifest() {
        return dataset.manifest();
    }

    /** The data every trial trains and is judged on: training and validation splits, no test split. */
    public synchronized TrainingInputs forTrials() {
        if (train == null) {
            SplitData all = dataset.load("train");
            train = trainLimit == null ? all : all.head(trainLimit);
            validation = dataset.load("validation");
        }
        DatasetManifest m = dataset.manifest();
        return new TrainingInputs(new DatasetRef(m.name(), m.version(), m.sha256()), m.kind(), m.classes(),
                m.normalization(), train, validation, null, null, null);
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

    /** The winner's data: the trials' splits and, now, the test split for its one evaluation. */
    public TrainingInputs forFinalModel() {
        TrainingInputs trials = forTrials();
        return new TrainingInputs(trials.ref(), trials.kind(), trials.classes(), trials.normalization(), trials.train(),
                trials.validation(), test(), null, null);
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
