package io.moxing.text;

import java.util.HashMap;
import java.util.Map;

/**
 * The baseline a language model must beat: next-token probabilities from the previous token alone,
 * counted on the training stream. Unseen pairs are handled by Witten-Bell interpolation with the
 * add-one unigram distribution, so every token of the vocabulary keeps a non-zero probability and a
 * perplexity on new text is finite (an unsmoothed bigram would make it infinite).
 */
public final class BigramModel {
    private final int vocabulary;
    private final Map<Long, Integer> pairs = new HashMap<>();
    private final long[] contextCounts;
    private final int[] followerTypes;
    private final double[] unigram;

    private BigramModel(int vocabulary) {
        this.vocabulary = vocabulary;
        this.contextCounts = new long[vocabulary];
        this.followerTypes = new int[vocabulary];
        this.unigram = new double[vocabulary];
    }

    public static BigramModel fit(int[] tokens, int vocabulary) {
        BigramModel m = new BigramModel(vocabulary);
        long[] counts = new long[vocabulary];
        for (int t : tokens) counts[t]++;
        for (int v = 0; v < vocabulary; v++) m.unigram[v] = (counts[v] + 1.0) / (tokens.length + (double) vocabulary);
        for (int i = 0; i + 1 < tokens.length; i++) {
            long key = (long) tokens[i] * vocabulary + tokens[i + 1];
            if (m.pairs.merge(key, 1, Integer::sum) == 1) {
                m.followerTypes[tokens[i]]++;
            }
            m.contextCounts[tokens[i]]++;
        }
        return m;
    }

    public double probability(int previous, int next) {
        long c = contextCounts[previous];
        if (c == 0) {
            return unigram[next];
        }
        int pair = pairs.getOrDefault((long) previous * vocabulary + next, 0);
        double seen = followerTypes[previous];
        return (pair + seen * unigram[next]) / (c + seen);
    }

    /** exp of the mean negative log-probability of each token given the one before it. */
    public double perplexity(int[] tokens) {
        if (tokens.length < 2) {
            return Double.NaN;
        }
        double nll = 0;
        for (int i = 1; i < tokens.length; i++) {
            nll -= Math.log(probability(tokens[i - 1], tokens[i]));
        }
        return Math.exp(nll / (tokens.length - 1));
    }
}
