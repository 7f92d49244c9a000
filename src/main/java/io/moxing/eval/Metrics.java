package io.moxing.eval;

import io.moxing.core.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Computes evaluation metrics from true labels and predicted probabilities or values. */
public final class Metrics {
    private Metrics() {}

    /**
     * Evaluates a model's outputs on a split: class metrics when {@code classes} is not empty (the task is
     * classification), regression metrics otherwise.
     */
    public static EvalResult of(String split, float[] labels, float[][] outputs, List<String> classes) {
        if (classes.isEmpty()) {
            float[] predicted = new float[outputs.length];
            for (int i = 0; i < outputs.length; i++) predicted[i] = outputs[i][0];
            return regression(split, labels, predicted);
        }
        int[] truth = new int[labels.length];
        float[][] probabilities = new float[outputs.length][];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (int) labels[i];
            probabilities[i] = io.moxing.predict.Predictions.classProbabilities(outputs[i]);
        }
        return classification(split, truth, probabilities, classes);
    }

    /**
     * @param truth         true class per sample
     * @param probabilities predicted class probabilities per sample
     */
    public static EvalResult classification(String split, int[] truth, float[][] probabilities, List<String> labels) {
        int k = labels.size();
        long[][] confusion = new long[k][k];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            int predicted = argMax(probabilities[i]);
            confusion[truth[i]][predicted]++;
            if (predicted == truth[i]) correct++;
        }
        List<ClassMetrics> perClass = new ArrayList<>();
        double sumP = 0, sumR = 0, sumF = 0;
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long predictedC = 0, actualC = 0;
            for (int j = 0; j < k; j++) {
                predictedC += confusion[j][c];
                actualC += confusion[c][j];
            }
            double precision = predictedC == 0 ? 0 : (double) tp / predictedC;
            double recall = actualC == 0 ? 0 : (double) tp / actualC;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(labels.get(c), precision, recall, f1, actualC));
            sumP += precision;
            sumR += recall;
            sumF += f1;
        }
        Double auc = null;
        if (k == 2) {
            double[] scores = new double[truth.length];
            for (int i = 0; i < truth.length; i++) scores[i] = probabilities[i][probabilities[i].length - 1];
            auc = rocAuc(truth, scores);
        }
        return new EvalResult(Task.CLASSIFICATION, split, truth.length, truth.length == 0 ? 0 : (double) correct / truth.length,
                sumP / k, sumR / k, sumF / k, perClass, confusion, labels, auc, null, null, null);
    }

    public static EvalResult regression(String split, float[] truth, float[] predicted) {
        double se = 0, ae = 0, mean = 0;
        for (float t : truth) mean += t;
        mean /= Math.max(1, truth.length);
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = predicted[i] - truth[i];
            se += d * d;
            ae += Math.abs(d);
            total += (truth[i] - mean) * (truth[i] - mean);
        }
        int n = Math.max(1, truth.length);
        Double r2 = total == 0 ? null : 1 - se / total;
        return new EvalResult(Task.REGRESSION, split, truth.length, null, null, null, null, null, null, null, null,
                se / n, ae / n, r2);
    }

    /**
     * ROC-AUC as the probability that a random positive scores above a random negative (ties count
     * half), computed from ranks: the Mann-Whitney U statistic.
     */
    public static Double rocAuc(int[] truth, double[] scores) {
        int n = truth.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] ranks = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) ranks[order[t]] = rank;
            i = j + 1;
        }
        long positives = 0;
        double rankSum = 0;
        for (int i = 0; i < n; i++) {
            if (truth[i] == 1) {
                positives++;
                rankSum += ranks[i];
            }
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return null;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
